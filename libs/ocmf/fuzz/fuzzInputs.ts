import fc from 'fast-check';
import type { CurveName } from '../src/crypto/Curve';
import { datasetEdit, type DatasetEdit } from './DatasetEdit';
import { freshPayload } from './freshPayload';

/** A dataset of the shared corpus that both verifiers call valid, with its registered key. */
export interface CorpusDataset {
  id: string;
  ocmf: string;
  publicKey: string;
  /** The signed payload, as the dataset carries it after `OCMF|`. */
  payloadText: string;
}

/** One generated input for the parser and the verifiers. */
export type FuzzInput =
  | { kind: 'corpus-mutant'; dataset: CorpusDataset; edits: DatasetEdit[] }
  | { kind: 'fresh-mutant'; curve: CurveName; payload: string; edits: DatasetEdit[] }
  | { kind: 'wrong-key'; curve: CurveName; payload: string; keyCurve: CurveName }
  | { kind: 'random-bytes'; bytes: Uint8Array; latin1: boolean; header: boolean }
  | { kind: 'deep-json'; depth: number; open: string; close: string; where: 'payload' | 'signature' | 'both'; balanced: boolean }
  | { kind: 'huge-json'; shape: 'long-string' | 'many-keys' | 'long-number' | 'many-readings' | 'long-exponent'; size: number; signedLike: boolean };

export const FUZZ_KINDS: FuzzInput['kind'][] = ['corpus-mutant', 'fresh-mutant', 'wrong-key', 'random-bytes', 'deep-json', 'huge-json'];

const edits = fc.array(datasetEdit, { minLength: 1, maxLength: 4 });

/**
 * Every kind of input the fuzzer feeds: mutated corpus datasets and mutated fresh ones (the bulk),
 * valid datasets checked against another station's key, random bytes, deeply nested JSON and huge
 * JSON (strings and numbers past the 256 KiB bound, many keys, thousands of readings).
 */
export function fuzzInput(corpus: readonly CorpusDataset[], curves: readonly CurveName[]): fc.Arbitrary<FuzzInput> {
  const curve = fc.constantFrom(...curves);
  const arbitraries: { weight: number; arbitrary: fc.Arbitrary<FuzzInput> }[] = [
    { weight: 28, arbitrary: fc.record({ kind: fc.constant('fresh-mutant' as const), curve, payload: freshPayload, edits }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('wrong-key' as const), curve, payload: freshPayload, keyCurve: curve }) },
    { weight: 14, arbitrary: fc.record({ kind: fc.constant('random-bytes' as const), bytes: fc.uint8Array({ maxLength: 600 }), latin1: fc.boolean(), header: fc.boolean() }) },
    {
      weight: 4,
      arbitrary: fc.record({
        kind: fc.constant('deep-json' as const),
        depth: fc.oneof(fc.integer({ min: 1, max: 600 }), fc.integer({ min: 1, max: 120_000 })),
        open: fc.constantFrom('[', '{"a":', '[{"RD":'),
        close: fc.constantFrom(']', '}', '}]'),
        where: fc.constantFrom('payload' as const, 'signature' as const, 'both' as const),
        balanced: fc.boolean(),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant('huge-json' as const),
        shape: fc.constantFrom('long-string' as const, 'many-keys' as const, 'long-number' as const, 'many-readings' as const, 'long-exponent' as const),
        size: fc.oneof(fc.integer({ min: 1, max: 5_000 }), fc.integer({ min: 5_000, max: 300_000 })),
        signedLike: fc.boolean(),
      }),
    },
  ];
  if (corpus.length > 0) arbitraries.push({ weight: 48, arbitrary: fc.record({ kind: fc.constant('corpus-mutant' as const), dataset: fc.constantFrom(...corpus), edits }) });
  return fc.oneof(...arbitraries);
}

/** The text of a deep-json or huge-json input (the others are built by the runner, which signs). */
export function structuredText(input: Extract<FuzzInput, { kind: 'deep-json' | 'huge-json' }>): string {
  if (input.kind === 'deep-json') {
    const nest = input.open.repeat(input.depth) + '1' + (input.balanced ? input.close.repeat(input.depth) : input.close.repeat(Math.floor(input.depth / 2)));
    const payload = input.where === 'signature' ? '{"FV":"1.0","PG":"T1","RD":[]}' : `{"PG":"T1","X":${nest}}`;
    const signature = input.where === 'payload' ? '{"SD":"00"}' : `{"SD":"00","X":${nest}}`;
    return `OCMF|${payload}|${signature}`;
  }
  const n = input.size;
  const payload = (() => {
    switch (input.shape) {
      case 'long-string':
        return `{"PG":"T1","TT":"${'x'.repeat(n)}"}`;
      case 'many-keys':
        return `{"PG":"T1",${Array.from({ length: Math.min(n, 40_000) }, (_, i) => `"K${i}":${i}`).join(',')}}`;
      case 'long-number':
        return `{"PG":"T${'1'.repeat(n)}","RD":[{"TX":"B","RV":${'9'.repeat(n)},"RU":"kWh"},{"TX":"E","RV":${'9'.repeat(n)}.5,"RU":"kWh"}]}`;
      case 'many-readings':
        return `{"PG":"T1","RD":[${Array.from({ length: Math.min(n, 20_000) }, (_, i) => `{"TX":"${i === 0 ? 'B' : 'C'}","TM":"2025-06-03T07:48:45,000+0000 S","RV":${i},"RU":"kWh","ST":"G"}`).join(',')}]}`;
      case 'long-exponent':
        return `{"PG":"T1","RD":[{"TX":"B","RV":1e${'9'.repeat(n)},"CL":1E-${'9'.repeat(n)},"RU":"kWh"}]}`;
    }
  })();
  const sd = input.signedLike ? `"SA":"ECDSA-secp256r1-SHA256","SD":"3044022000${'ab'.repeat(31)}022000${'cd'.repeat(31)}"` : '"SD":"00"';
  return `OCMF|${payload}|{${sd}}`;
}
