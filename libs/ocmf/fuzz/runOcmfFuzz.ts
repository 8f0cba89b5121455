import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import fc from 'fast-check';
import { NobleVerifier } from '../src/crypto/NobleVerifier';
import { NodeCryptoVerifier } from '../src/crypto/NodeCryptoVerifier';
import type { CurveName } from '../src/crypto/Curve';
import type { SignatureVerifier } from '../src/crypto/SignatureVerifier';
import { parseOcmfSections } from '../src/OcmfSections';
import { parseOcmf } from '../src/parseOcmf';
import { checkSession } from '../src/session/checkSession';
import { verifyOcmf } from '../src/verifyOcmf';
import { toReport } from '../src/cli/VerificationReport';
import { ALL_CURVES, TestStation } from '../test/support/TestStation';
import { applyEdits } from './DatasetEdit';
import { FUZZ_KINDS, fuzzInput, structuredText, type CorpusDataset, type FuzzInput } from './fuzzInputs';
import { signedBytesChanged } from './signedBytesChanged';

export interface OcmfFuzzOptions {
  datasets: number;
  seed: number;
  /** The shared corpus folder (`../shared/ocmf-corpus/real`); without it only fresh datasets are mutated. */
  corpusDir?: string;
  /** Datasets per fast-check run; the heap is measured between runs. */
  batch?: number;
  /** Heap growth allowed between the end of the first batch and the end (after a full GC each time). */
  maxHeapGrowthBytes?: number;
  onProgress?: (done: number, counts: OcmfFuzzCounts) => void;
}

type Verdict = 'valid' | 'invalid' | 'error';

export interface OcmfFuzzCounts {
  datasets: number;
  byKind: Record<FuzzInput['kind'], number>;
  /** Verdicts of the OpenSSL verifier; the noble verifier must give the same on every dataset. */
  verdicts: Record<Verdict, number>;
  /** Mutated datasets whose signed bytes changed: each must be invalid or error for both verifiers. */
  signedBytesChanged: number;
  /** Mutations that left the signed bytes as they were (edits in the signature section, cancelled edits). */
  signedBytesKept: number;
  /** Of those, how many still verified. */
  keptAndValid: number;
  /** Fresh datasets signed and verified valid (OpenSSL) before being mutated. */
  freshSignedValid: number;
  parsedOk: number;
  sessionsChecked: number;
  heapBeforeBytes: number;
  heapAfterBytes: number;
  failure?: string;
}

/** Corpus datasets expected valid that both verifiers accept, with their payload (the ones mutated). */
export function loadValidCorpus(dir: string): CorpusDataset[] {
  const node = new NodeCryptoVerifier();
  const noble = new NobleVerifier();
  const out: CorpusDataset[] = [];
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.json')).sort()) {
    const c = JSON.parse(readFileSync(join(dir, f), 'utf8')) as { id?: string; ocmf?: unknown; public_key?: unknown; expected?: string };
    if (c.expected !== 'valid' || typeof c.ocmf !== 'string' || typeof c.public_key !== 'string' || !c.ocmf.startsWith('OCMF|')) continue;
    const sections = parseOcmfSections(c.ocmf);
    if (!sections.ok || !c.ocmf.startsWith(`OCMF|${sections.sections.payloadText}|`)) continue;
    const ok = [node, noble].every((verifier) => verifyOcmf(c.ocmf as string, { publicKey: c.public_key as string, verifier }).verdict === 'valid');
    if (ok) out.push({ id: c.id ?? f, ocmf: c.ocmf, publicKey: c.public_key, payloadText: sections.sections.payloadText });
  }
  return out;
}

/** The heap in use after a full collection (gc is exposed here when node was not started with --expose-gc). */
export function heapAfterGc(): number {
  const g = globalThis as { gc?: () => void };
  if (!g.gc) {
    setFlagsFromString('--expose-gc');
    g.gc = runInNewContext('gc') as () => void;
  }
  g.gc!();
  g.gc!();
  return process.memoryUsage().heapUsed;
}

/**
 * Feeds `datasets` generated inputs through `parseOcmf`, `checkSession` and `verifyOcmf` with both
 * verifiers (OpenSSL and @noble/curves), touching every lazily computed part of the result and
 * serialising the report the CLI prints, and
 * asserts: nothing throws; both verifiers give the same verdict; no dataset whose signed bytes were
 * changed (see `signedBytesChanged`) or that is checked against another station's key is `valid`;
 * every freshly signed dataset is `valid` (OpenSSL) before it is mutated; the heap after a full GC has not
 * grown by more than `maxHeapGrowthBytes` from the end of the first batch to the end. Stops at the
 * first failure, with fast-check's shrunk counterexample and the seed to replay it in `failure`.
 */
export function runOcmfFuzz(options: OcmfFuzzOptions): OcmfFuzzCounts {
  const batch = options.batch ?? 20_000;
  const maxGrowth = options.maxHeapGrowthBytes ?? 32 * 1024 * 1024;
  const corpus = options.corpusDir ? loadValidCorpus(options.corpusDir) : [];
  const verifiers: SignatureVerifier[] = [new NodeCryptoVerifier(), new NobleVerifier()];
  // Two stations per curve: the second's key is the "other station" of wrong-key inputs.
  const stations = new Map<CurveName, TestStation[]>(ALL_CURVES.map((c) => [c, [new TestStation(c), new TestStation(c)]]));
  const counts: OcmfFuzzCounts = {
    datasets: 0,
    byKind: Object.fromEntries(FUZZ_KINDS.map((k) => [k, 0])) as OcmfFuzzCounts['byKind'],
    verdicts: { valid: 0, invalid: 0, error: 0 },
    signedBytesChanged: 0,
    signedBytesKept: 0,
    keptAndValid: 0,
    freshSignedValid: 0,
    parsedOk: 0,
    sessionsChecked: 0,
    heapBeforeBytes: 0,
    heapAfterBytes: 0,
  };

  /** Both verdicts, after reading every lazy part of each result and serialising it. */
  const verdictOf = (text: string, publicKey: string): Verdict => {
    const verdicts = verifiers.map((verifier) => {
      const v = verifyOcmf(text, { publicKey, verifier });
      void [v.findings, v.dataset, v.conformance];
      // What the CLI prints (the dataset's raw fields are not serialised: they may nest 100 000 deep).
      JSON.stringify(toReport(v));
      return v.verdict;
    });
    if (verdicts[0] !== verdicts[1]) throw new Error(`the verifiers disagree: ${verifiers[0].name} ${verdicts[0]}, ${verifiers[1].name} ${verdicts[1]}`);
    return verdicts[0];
  };

  const check = (input: FuzzInput): void => {
    let text: string;
    let publicKey = stations.get('secp256r1')![0].publicKeyHex;
    let mustNotBeValid = true;
    switch (input.kind) {
      case 'corpus-mutant': {
        text = applyEdits(input.dataset.ocmf, input.edits);
        publicKey = input.dataset.publicKey;
        mustNotBeValid = signedBytesChanged(input.dataset.payloadText, text);
        break;
      }
      case 'fresh-mutant': {
        const station = stations.get(input.curve)![0];
        const signed = station.sign(input.payload);
        publicKey = station.publicKeyHex;
        // The unmutated dataset is checked with OpenSSL alone (the noble verifier costs 5-12 ms a
        // dataset here); both verifiers judge the mutated one below.
        const before = verifyOcmf(signed, { publicKey, verifier: verifiers[0] }).verdict;
        if (before !== 'valid') throw new Error(`a freshly signed ${input.curve} dataset is ${before}`);
        counts.freshSignedValid++;
        text = applyEdits(signed, input.edits);
        mustNotBeValid = signedBytesChanged(input.payload, text);
        break;
      }
      case 'wrong-key': {
        text = stations.get(input.curve)![0].sign(input.payload);
        publicKey = stations.get(input.keyCurve)![1].publicKeyHex;
        break;
      }
      case 'random-bytes': {
        const body = Buffer.from(input.bytes).toString(input.latin1 ? 'latin1' : 'utf8');
        text = input.header ? `OCMF|${body}` : body;
        break;
      }
      default:
        text = structuredText(input);
    }
    counts.datasets++;
    counts.byKind[input.kind]++;
    if (input.kind === 'corpus-mutant' || input.kind === 'fresh-mutant') {
      if (mustNotBeValid) counts.signedBytesChanged++;
      else counts.signedBytesKept++;
    }

    const parsed = parseOcmf(text);
    if (parsed.ok) {
      counts.parsedOk++;
      checkSession(parsed.dataset.payload);
      counts.sessionsChecked++;
    }
    const verdict = verdictOf(text, publicKey);
    counts.verdicts[verdict]++;
    if (verdict === 'valid' && mustNotBeValid) throw new Error(`${input.kind}: valid although ${input.kind === 'wrong-key' ? 'checked against another station\'s key' : 'its signed bytes changed'}`);
    if (verdict === 'valid' && !mustNotBeValid) counts.keptAndValid++;
  };

  const arbitrary = fuzzInput(corpus, ALL_CURVES);
  let done = 0;
  for (let run = 0; done < options.datasets; run++) {
    const numRuns = Math.min(batch, options.datasets - done);
    const seed = options.seed + run;
    const details = fc.check(fc.property(arbitrary, check), { numRuns, seed });
    if (details.failed) {
      counts.failure = `${String(details.errorInstance)}\ncounterexample: ${fc.stringify(details.counterexample).slice(0, 2000)}\nreplay: seed ${seed}, path "${details.counterexamplePath}" (run ${run} of --seed ${options.seed}, batch ${batch})`;
      return counts;
    }
    done += numRuns;
    if (run === 0) counts.heapBeforeBytes = heapAfterGc();
    options.onProgress?.(done, counts);
  }
  counts.heapAfterBytes = heapAfterGc();
  if (counts.heapAfterBytes - counts.heapBeforeBytes > maxGrowth) {
    counts.failure = `the heap grew from ${counts.heapBeforeBytes} to ${counts.heapAfterBytes} bytes after a full GC (more than ${maxGrowth})`;
  }
  return counts;
}
