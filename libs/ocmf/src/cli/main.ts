#!/usr/bin/env node
// ocmf CLI: verify | inspect | verify-samples. Output contract in libs/ocmf/README.md.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { readContainer } from '../containers/readContainer';
import type { DatasetEnvelope } from '../containers/DatasetEnvelope';
import { NobleVerifier } from '../crypto/NobleVerifier';
import type { SignatureVerifier } from '../crypto/SignatureVerifier';
import { defaultVerifier, verifyOcmf } from '../index';
import type { ValidationProfile } from '../model/OcmfFinding';
import { EXIT_CODE, toReport, worstVerdict, type VerificationReport } from './VerificationReport';
import { formatInspection } from './formatInspection';
import { REFERENCE_DECISIONS } from './referenceDecisions';

const MAX_INPUT_BYTES = 64 * 1024 * 1024;
const MAX_JSONL_LINE = 1024 * 1024;

const USAGE = `usage:
  ocmf verify [--public-key <hex|base64|oca>] [--profile strict|tolerant] [--verifier node|noble] <file|->
  ocmf verify --jsonl [--verifier node|noble]     (JSON lines {"id","ocmf","publicKey"} on stdin)
  ocmf inspect [--public-key <key>] <file|->
  ocmf verify-samples                             (verify the bundled public datasets)`;

interface Args {
  command?: string;
  publicKey?: string;
  profile: ValidationProfile;
  verifier: SignatureVerifier;
  jsonl: boolean;
  file?: string;
}

function parseArgs(argv: string[]): Args | string {
  const args: Args = { profile: 'tolerant', verifier: defaultVerifier, jsonl: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    try {
      if (a === '--public-key') args.publicKey = value();
      else if (a === '--profile') {
        const p = value();
        if (p !== 'strict' && p !== 'tolerant') return `--profile must be strict or tolerant, not "${p}"`;
        args.profile = p;
      } else if (a === '--verifier') {
        const v = value();
        if (v === 'noble') args.verifier = new NobleVerifier();
        else if (v !== 'node') return `--verifier must be node or noble, not "${v}"`;
      } else if (a === '--jsonl') args.jsonl = true;
      else if (a === '-h' || a === '--help') return USAGE;
      else if (a.startsWith('--')) return `unknown option ${a}`;
      else if (!args.command) args.command = a;
      else if (!args.file) args.file = a;
      else return `unexpected argument "${a}"`;
    } catch (e) {
      return (e as Error).message;
    }
  }
  return args;
}

function readInput(file: string): string {
  const text = file === '-' ? readFileSync(0, 'utf8') : readFileSync(file, 'utf8');
  if (text.length > MAX_INPUT_BYTES) throw new Error(`input is larger than ${MAX_INPUT_BYTES} bytes`);
  return text;
}

function errorReport(reason: string, errorCode = 'malformed-container'): VerificationReport {
  return { verdict: 'error', reason, errorCode, verifier: defaultVerifier.name, findings: [] };
}

function verifyEnvelope(env: DatasetEnvelope, args: Args): VerificationReport {
  const key = args.publicKey ?? env.publicKey;
  const v = verifyOcmf(env.ocmf, { publicKey: key, verifier: args.verifier, profile: args.profile });
  return toReport(v, env, args.publicKey ? 'given' : env.publicKey ? 'embedded' : 'none');
}

function verifyFile(args: Args): number {
  if (!args.file) return usageError('verify needs a file, or - for standard input');
  let text: string;
  try {
    text = readInput(args.file);
  } catch (e) {
    return print(errorReport(`cannot read input: ${(e as Error).message}`, 'not-ocmf'));
  }
  const container = readContainer(text);
  if (!container.ok) return print(errorReport(container.reason));
  const reports = container.datasets.map((d) => verifyEnvelope(d, args));
  if (reports.length === 1) return print({ ...reports[0], container: container.kind });
  const verdict = worstVerdict(reports.map((r) => r.verdict));
  const counts = reports.reduce<Record<string, number>>((c, r) => ({ ...c, [r.verdict]: (c[r.verdict] ?? 0) + 1 }), {});
  const summary = Object.entries(counts).map(([k, n]) => `${n} ${k}`).join(', ');
  return print({
    verdict,
    reason: `${reports.length} datasets: ${summary}`,
    algorithm: reports[0].algorithm,
    pagination: reports.map((r) => r.pagination).join(','),
    verifier: args.verifier.name,
    container: container.kind,
    datasets: reports,
  });
}

function print(report: VerificationReport | (Record<string, unknown> & { verdict: VerificationReport['verdict'] })): number {
  process.stdout.write(`${JSON.stringify(report)}\n`);
  return EXIT_CODE[report.verdict];
}

async function verifyJsonl(args: Args): Promise<number> {
  const rl = createInterface({ input: process.stdin, crlfDelay: Infinity });
  let lineNo = 0;
  for await (const line of rl) {
    lineNo++;
    if (line.trim() === '') continue;
    let out: Record<string, unknown>;
    if (line.length > MAX_JSONL_LINE) {
      out = { id: null, ...errorReport(`line ${lineNo} is longer than ${MAX_JSONL_LINE} characters`, 'too-large') };
    } else {
      let rec: any;
      try {
        rec = JSON.parse(line);
      } catch (e) {
        rec = undefined;
        out = { id: null, ...errorReport(`line ${lineNo} is not JSON: ${(e as Error).message}`, 'malformed-json') };
      }
      if (rec !== undefined) {
        const id = rec?.id ?? null;
        if (typeof rec?.ocmf !== 'string') {
          out = { id, ...errorReport(`line ${lineNo} has no "ocmf" string`, 'missing-field') };
        } else {
          const key = typeof rec.publicKey === 'string' ? rec.publicKey : undefined;
          const v = verifyOcmf(rec.ocmf, { publicKey: key, verifier: args.verifier, profile: args.profile });
          out = { id, ...toReport(v, undefined, key ? 'given' : 'none') };
        }
      }
    }
    if (!process.stdout.write(`${JSON.stringify(out!)}\n`)) await new Promise((r) => process.stdout.once('drain', r));
  }
  return 0;
}

function inspect(args: Args): number {
  if (!args.file) return usageError('inspect needs a file, or - for standard input');
  let text: string;
  try {
    text = readInput(args.file);
  } catch (e) {
    process.stderr.write(`cannot read input: ${(e as Error).message}\n`);
    return 2;
  }
  const container = readContainer(text);
  if (!container.ok) {
    process.stderr.write(`${container.reason}\n`);
    return 2;
  }
  const verdicts = container.datasets.map((env, i) => {
    const v = verifyOcmf(env.ocmf, { publicKey: args.publicKey ?? env.publicKey, verifier: args.verifier, profile: args.profile });
    if (container.datasets.length > 1) {
      process.stdout.write(`=== dataset ${i + 1} of ${container.datasets.length}${env.context ? ` (${env.context})` : ''}\n`);
    }
    process.stdout.write(`${v.dataset ? formatInspection(v.dataset, v) : `Verdict: ERROR: ${v.reason}`}\n\n`);
    return v.verdict;
  });
  return EXIT_CODE[worstVerdict(verdicts)];
}

/** The main job until the pipeline exists: verify every bundled public dataset and show the verdicts. */
function verifySamples(): number {
  const here = resolve(__dirname, '..', '..');
  const sources: { name: string; env: DatasetEnvelope; expected?: string; decided?: (typeof REFERENCE_DECISIONS)[string] }[] = [];
  const corpus = [resolve(here, '..', '..', '..', 'shared', 'ocmf-corpus', 'real'), '/work/shared/ocmf-corpus/real'].find(existsSync);
  if (corpus) {
    for (const f of readdirSync(corpus).filter((f) => f.endsWith('.json')).sort()) {
      const c = JSON.parse(readFileSync(join(corpus, f), 'utf8'));
      const decided = REFERENCE_DECISIONS[String(c.id ?? f.replace(/\.json$/, ''))];
      sources.push({ name: `corpus/${f}`, env: { ocmf: c.ocmf, publicKey: c.public_key }, expected: c.expected, ...(decided ? { decided } : {}) });
    }
  }
  const fixtures = join(here, 'test', 'fixtures');
  const manifest = JSON.parse(readFileSync(join(fixtures, 'manifest.json'), 'utf8'));
  for (const fx of manifest.fixtures) {
    const text = readFileSync(join(fixtures, fx.file), 'utf8');
    const datasets: DatasetEnvelope[] = fx.file.endsWith('.json')
      ? [(({ ocmf, public_key }) => ({ ocmf, publicKey: public_key }))(JSON.parse(text))]
      : (readContainer(text) as { datasets: DatasetEnvelope[] }).datasets;
    datasets.forEach((env, i) => sources.push({ name: `${fx.file}#${i + 1}`, env, expected: fx.expected[i] }));
  }
  let mismatches = 0;
  let followed = 0;
  const width = sources.reduce((w, s) => Math.max(w, s.name.length), 0);
  for (const s of sources) {
    const r = verifyOcmf(s.env.ocmf, { publicKey: s.env.publicKey });
    // A file the reference software decides otherwise than its `expected`: our verdict must be the reference's.
    const asDecided = s.decided !== undefined && s.decided.verdict === r.verdict && s.decided.errorCode === r.errorCode;
    const ok = asDecided || (s.decided === undefined && (s.expected === undefined || s.expected === r.verdict));
    if (!ok) mismatches++;
    if (asDecided) followed++;
    const mark = !ok ? 'FAIL' : asDecided ? 'ref ' : 'ok  ';
    const note = asDecided ? ` (expected ${s.expected}; as the S.A.F.E. transparency software: ${s.decided!.why})` : '';
    process.stdout.write(`${mark} ${s.name.padEnd(width)}  ${r.verdict.padEnd(7)} ${r.pagination ?? ''}  ${r.reason}${note}\n`);
  }
  process.stdout.write(
    `\n${sources.length} datasets verified, ${mismatches} differ from their expected verdict, ${followed} decided as the reference software decides` +
      `${corpus ? '' : ' (shared corpus not found)'}\n`,
  );
  return mismatches === 0 ? 0 : 1;
}

function usageError(message: string): number {
  process.stderr.write(`${message}\n${USAGE}\n`);
  return 2;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  if (typeof args === 'string') return usageError(args);
  switch (args.command) {
    case 'verify':
      return args.jsonl ? verifyJsonl(args) : verifyFile(args);
    case 'inspect':
      return inspect(args);
    case 'verify-samples':
      return verifySamples();
    default:
      return usageError(args.command ? `unknown command "${args.command}"` : 'no command given');
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    process.stderr.write(`ocmf: unexpected failure: ${(e as Error).stack ?? e}\n`);
    process.exitCode = 2;
  },
);
