#!/usr/bin/env node
// Fleet simulator CLI: npm run --silent sim -- --stations N --days D --seed S [--faults <spec>] --out <file|-> [--manifest <file>]
import { createWriteStream, writeFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import { quoteBounded } from '@metrology-ledger/ocmf';
import type { SigningMode } from '../station/StationSigningKey';
import { parseFaultSpec, DEFAULT_FAULTS, type FaultSpec } from './FaultSpec';
import { availableParallelism } from 'node:os';
import { FleetSimulator } from './FleetSimulator';
import { mergeManifests } from './ManifestMerge';
import { manifestDestination, outputKind } from './manifestDestination';
import { ParallelFleetSimulator } from './ParallelFleetSimulator';
import { serializeMessage } from './serializeMessage';
import type { SimulationManifest } from './SimulationManifest';
import { ProgressBar } from './ProgressBar';

const USAGE = `usage: sim --stations N --days D --seed S [--faults none|default|k=rate,...] [--start YYYY-MM-DD]
           [--signing openssl|rfc6979|unsigned] [--workers N] --out <file|-> [--manifest <file>]
  --manifest defaults to <out>.manifest.json when --out is a regular file; with --out - or a device
  or pipe (/dev/null) no manifest is written unless --manifest is given.`;

interface Args {
  stations: number;
  days: number;
  seed: number;
  faults: FaultSpec;
  start: number;
  signing: SigningMode;
  out: string;
  manifest?: string;
  workers: number;
}

function parse(argv: string[]): Args | string {
  const a: Partial<Args> = { faults: { ...DEFAULT_FAULTS }, start: Date.UTC(2025, 0, 1), signing: 'openssl', workers: availableParallelism() };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const v = argv[i + 1];
    if (flag === '-h' || flag === '--help') return USAGE;
    if (v === undefined) return `${flag} needs a value`;
    i++;
    const int = (name: string, min: number) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be an integer >= ${min}, not "${v}"`);
      return n;
    };
    try {
      if (flag === '--stations') a.stations = int('--stations', 1);
      else if (flag === '--days') a.days = int('--days', 1);
      else if (flag === '--seed') a.seed = int('--seed', 0);
      else if (flag === '--faults') {
        const f = parseFaultSpec(v);
        if (!f.ok) return f.reason;
        a.faults = f.spec;
      } else if (flag === '--start') {
        const t = Date.parse(`${v}T00:00:00Z`);
        if (Number.isNaN(t)) return `--start must be YYYY-MM-DD, not "${v}"`;
        a.start = t;
      } else if (flag === '--signing') {
        if (!['openssl', 'rfc6979', 'unsigned'].includes(v)) return `--signing must be openssl, rfc6979 or unsigned`;
        a.signing = v as SigningMode;
      } else if (flag === '--workers') a.workers = int('--workers', 1);
      else if (flag === '--out') a.out = v;
      else if (flag === '--manifest') a.manifest = v;
      else return `unknown option ${flag}`;
    } catch (e) {
      return (e as Error).message;
    }
  }
  for (const k of ['stations', 'days', 'seed', 'out'] as const) if (a[k] === undefined) return `--${k} is required`;
  return a as Args;
}

async function write(stream: Writable, text: string): Promise<void> {
  if (!stream.write(text)) await new Promise<void>((r) => stream.once('drain', () => r()));
}

async function main(): Promise<number> {
  const args = parse(process.argv.slice(2));
  if (typeof args === 'string') {
    process.stderr.write(`${args}\n${USAGE}\n`);
    return 2;
  }
  const kind = outputKind(args.out);
  if (kind === 'directory') {
    process.stderr.write(`--out ${quoteBounded(args.out, 200)} is a directory; name a file, a device or - for standard output\n${USAGE}\n`);
    return 2;
  }
  const toStdout = kind === 'stdout';
  const destination = manifestDestination(args.out, args.manifest, kind);
  const manifestPath = destination.path;
  if (destination.note) process.stderr.write(`sim: ${destination.note}\n`);
  const out: Writable = toStdout ? process.stdout : createWriteStream(args.out);
  const options = { stations: args.stations, days: args.days, seed: args.seed, start: args.start, faults: args.faults, signing: args.signing };
  const progress = new ProgressBar('simulating', args.days);
  const started = Date.now();
  const writeLines = async (lines: string[]) => {
    for (let i = 0; i < lines.length; i += 2000) await write(out, `${lines.slice(i, i + 2000).join('\n')}\n`);
  };
  let manifest: SimulationManifest;
  if (args.workers > 1) {
    const sim = new ParallelFleetSimulator(options, args.workers);
    for await (const day of sim.days()) {
      await writeLines(day.lines);
      progress.update(day.day + 1, `${day.datasets} datasets`);
    }
    manifest = await sim.finish();
  } else {
    const sim = new FleetSimulator(options);
    for (let d = 0; d < args.days; d++) {
      await writeLines(sim.day(d).map((m) => serializeMessage(m.message)));
      progress.update(d + 1, `${sim.manifest.counts.datasets} datasets`);
    }
    manifest = mergeManifests([sim.manifest]);
  }
  progress.finish(`${manifest.counts.datasets} datasets`);
  if (!toStdout) await new Promise<void>((r) => (out as NodeJS.WritableStream).end(r));
  if (manifestPath) writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 1)}\n`);
  const secs = (Date.now() - started) / 1000;
  const c = manifest.counts;
  process.stderr.write(
    `${c.messages} messages (${c.datasets} datasets, ${c.logEntries} log entries, ${c.faultMessages} fault messages) in ${secs.toFixed(1)} s` +
      `${manifestPath ? `; manifest ${manifestPath}` : '; no manifest'}\n`,
  );
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (e) => {
    process.stderr.write(`sim: ${(e as Error).stack}\n`);
    process.exitCode = 1;
  },
);
