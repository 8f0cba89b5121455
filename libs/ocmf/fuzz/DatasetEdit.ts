import fc from 'fast-check';

/**
 * One edit of a dataset's text: where (`at`, taken modulo the text's length when applied), what
 * (replace one character, insert, delete or duplicate a range, swap two neighbours, cut the rest
 * off) and with which text. A list of edits is a mutation; it may cancel itself out, which is why
 * the fuzzer decides whether the signed bytes changed from the result, never from the edits.
 */
export type DatasetEdit =
  | { op: 'replace'; at: number; text: string }
  | { op: 'insert'; at: number; text: string }
  | { op: 'delete'; at: number; length: number }
  | { op: 'duplicate'; at: number; length: number }
  | { op: 'swap'; at: number }
  | { op: 'truncate'; at: number };

/** Pieces that matter to OCMF: its separators, JSON structure, numbers a double cannot hold, escapes, white space. */
const TOKENS = ['|', '|{', '}|', '{', '}', '[', ']', '"', ',', ':', '\\', '\\u0000', '\\q', ' ', '\n', '\t', '\r', '\u00a0', '\ufeff', '0', '9', '-', '+', '.', 'e', 'E', '1e400', '-1e-400', 'e999999999', 'null', 'true', '"SD":"00"', '"SA":"ECDSA-secp256r1-SHA256"', '"SE":"base64"', 'OCMF|', '\u0001', '\ud800', '€', '𝄞'];

const piece = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom(...TOKENS) },
  { weight: 2, arbitrary: fc.string({ minLength: 1, maxLength: 8, unit: 'binary' }) },
  { weight: 1, arbitrary: fc.integer({ min: 20, max: 5000 }).map((n) => '9'.repeat(n)) },
  { weight: 1, arbitrary: fc.stringMatching(/^[0-9A-Fa-f]{1,16}$/) },
);

export const datasetEdit: fc.Arbitrary<DatasetEdit> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ op: fc.constant('replace' as const), at: fc.nat(), text: fc.oneof(fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }), piece) }) },
  { weight: 3, arbitrary: fc.record({ op: fc.constant('insert' as const), at: fc.nat(), text: piece }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('duplicate' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 200 }) }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('swap' as const), at: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('truncate' as const), at: fc.nat() }) },
);

/** Applies the edits in order. */
export function applyEdits(text: string, edits: readonly DatasetEdit[]): string {
  let t = text;
  for (const e of edits) {
    const i = t.length === 0 ? 0 : e.at % t.length;
    switch (e.op) {
      case 'replace':
        t = t.slice(0, i) + e.text + t.slice(i + 1);
        break;
      case 'insert':
        t = t.slice(0, i) + e.text + t.slice(i);
        break;
      case 'delete':
        t = t.slice(0, i) + t.slice(i + e.length);
        break;
      case 'duplicate':
        t = t.slice(0, i + e.length) + t.slice(i, i + e.length) + t.slice(i + e.length);
        break;
      case 'swap':
        t = i + 1 < t.length ? t.slice(0, i) + t[i + 1] + t[i] + t.slice(i + 2) : t;
        break;
      case 'truncate':
        t = t.slice(0, i);
        break;
    }
  }
  return t;
}
