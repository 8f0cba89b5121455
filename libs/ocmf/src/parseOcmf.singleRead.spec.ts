import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import fc from 'fast-check';
import { applyEdits, datasetEdit } from '../fuzz/DatasetEdit';
import { freshPayload } from '../fuzz/freshPayload';
import { parseOcmfSections } from './OcmfSections';
import { parseOcmf, typeSections, type ParseResult } from './parseOcmf';

/**
 * parseOcmf reads the payload once in the common case (no JSON.parse before the number-keeping
 * reader). Its result must be exactly what the two-read path gives: `parseOcmfSections` (JSON.parse of
 * both sections, the structural split otherwise), then `typeSections` (the payload read again).
 */
function twoReads(input: string): ParseResult {
  const parsed = parseOcmfSections(input);
  if (!parsed.ok) return { ok: false, error: parsed.error, findings: [] };
  return { ok: true, ...typeSections(parsed.sections) };
}

const repoRoot = resolve(__dirname, '..', '..', '..');
const corpusDir = [process.env.OCMF_CORPUS_DIR, resolve(repoRoot, '..', 'shared', 'ocmf-corpus', 'real'), '/work/shared/ocmf-corpus/real'].find(
  (d): d is string => !!d && existsSync(d),
);
const corpus: { id: string; ocmf: string }[] = corpusDir
  ? readdirSync(corpusDir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => ({ id: f, ocmf: (JSON.parse(readFileSync(join(corpusDir, f), 'utf8')) as { ocmf: unknown }).ocmf }))
      .filter((c): c is { id: string; ocmf: string } => typeof c.ocmf === 'string')
  : [];

const SAMPLE =
  'OCMF|{"FV":"1.0","GI":"CP1","PG":"T1","MS":"S1","IS":true,"ID":"A1","CI":1,"LC":{"LU":"uOhm","LR":23000.0},"TT":"","RD":[' +
  '{"TX":"B","TM":"2025-01-01T00:01:00,000+0000 S","RU":"kWh","RI":"1-b:1.8.0","RT":"AC","RV":1000.0000,"CL":0.0,"ST":"G"},' +
  '{"TX":"E","TM":"2025-01-01T01:01:00,000+0000 S","RV":1005.0000,"CL":0.0667}]}|{"SA":"ECDSA-secp384r1-SHA256","SD":"MAYCAQECAQE=","SE":"base 64"}';

describe('parseOcmf reads the payload once, with the result of reading it twice', () => {
  it('finds the shared corpus', () => {
    expect(corpus.length).toBeGreaterThan(100);
  });

  it.each(corpus.map((c) => [c.id, c.ocmf]))('corpus %s', (_id, ocmf) => {
    expect(parseOcmf(ocmf)).toStrictEqual(twoReads(ocmf));
  });

  it.each([
    ['the plain sample', SAMPLE],
    ['white space and a BOM-less blank before the header', `  \n${SAMPLE}`],
    ['white space after the signature', `${SAMPLE} \r\n\t`],
    ['a no-break space after the signature (not JSON white space)', `${SAMPLE}\u00a0`],
    ['a vertical tab after the signature', `${SAMPLE}\u000b`],
    ['a number with a leading zero (tolerated)', SAMPLE.replace('"CI":1', '"CI":01')],
    ['a raw control character in a string (tolerated)', SAMPLE.replace('"ID":"A1"', '"ID":"A\u00011"')],
    ['an invalid escape', SAMPLE.replace('"ID":"A1"', '"ID":"A\\q1"')],
    ['a value beyond a JS number', SAMPLE.replace('"RV":1005.0000', '"RV":1e400')],
    ['duplicate keys, the last a number', SAMPLE.replace('"CI":1', '"CI":"x","CI":2.50')],
    ['duplicate keys, the last a string', SAMPLE.replace('"CI":1', '"CI":2.50,"CI":"x"')],
    ['an own __proto__ key', SAMPLE.replace('"CI":1', '"__proto__":{"RV":1},"CI":1')],
    ['"|{" inside a payload string', SAMPLE.replace('"TT":""', '"TT":"a|{b"')],
    ['"|{" inside a signature string', SAMPLE.replace('"SE":"base 64"', '"SE":"x|{y}"')],
    ['a fourth section', `${SAMPLE}|{"PK":"00"}`],
    ['a payload that is an array', 'OCMF|[1]|{"SD":"00"}'],
    ['a signature that is an array', SAMPLE.replace(/\|\{"SA".*$/, '|[{}]')],
    ['a signature not closed', SAMPLE.slice(0, -1)],
    ['no header', SAMPLE.slice(5)],
    ['deep nesting (as deep as the comparison can walk)', `OCMF|{"RD":${'['.repeat(1500)}${']'.repeat(1500)}}|{"SD":"00"}`],
    ['empty text', ''],
  ])('%s', (_name, input) => {
    expect(parseOcmf(input)).toStrictEqual(twoReads(input));
  });

  it('mutated corpus datasets and fresh payloads (fast-check, fixed seed)', () => {
    const texts = corpus.length > 0 ? fc.constantFrom(...corpus.map((c) => c.ocmf), SAMPLE) : fc.constant(SAMPLE);
    const fresh = freshPayload.map((p) => `OCMF|${p}|{"SA":"ECDSA-secp256r1-SHA256","SD":"3006020101020101"}`);
    fc.assert(
      fc.property(fc.oneof(texts, fresh), fc.array(datasetEdit, { minLength: 0, maxLength: 4 }), (text, edits) => {
        const input = applyEdits(text, edits);
        expect(parseOcmf(input)).toStrictEqual(twoReads(input));
      }),
      { seed: 20261127, numRuns: 3000 },
    );
  });
});
