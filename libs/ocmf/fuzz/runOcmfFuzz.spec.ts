import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { applyEdits } from './DatasetEdit';
import { runOcmfFuzz } from './runOcmfFuzz';
import { signedBytesChanged } from './signedBytesChanged';

// CI's share of the fuzzer (`npm run --silent fuzz -- --datasets 1000000` is the full run): a few
// thousand generated datasets through the parser and both verifiers, seeded so a failure replays.
const corpusDir = [process.env.OCMF_CORPUS_DIR, resolve(__dirname, '..', '..', '..', '..', 'shared', 'ocmf-corpus', 'real'), '/work/shared/ocmf-corpus/real'].find((d) => d !== undefined && existsSync(d));

describe('signedBytesChanged: a mutation is one that touches what is signed', () => {
  const payload = '{"PG":"T1","RD":[]}';
  const signed = `OCMF|${payload}|{"SD":"3006020101020101"}`;

  it('counts the payload, its separators and the header, and nothing after the separator', () => {
    expect(signedBytesChanged(payload, signed)).toBe(false);
    expect(signedBytesChanged(payload, ` \n${signed}`)).toBe(false);
    expect(signedBytesChanged(payload, signed.replace('"SD"', ' "SD"'))).toBe(false);
    expect(signedBytesChanged(payload, `${signed}|{"PK":"x"}`)).toBe(false);
    expect(signedBytesChanged(payload, signed.replace('T1', 'T2'))).toBe(true);
    expect(signedBytesChanged(payload, signed.replace('{"PG"', '{ "PG"'))).toBe(true);
    expect(signedBytesChanged(payload, signed.replace('OCMF|', 'ocmf|'))).toBe(true);
    expect(signedBytesChanged(payload, signed.replace(']}|', ']} |'))).toBe(true);
    expect(signedBytesChanged(payload, `x${signed}`)).toBe(true);
  });

  it('decides on the result: edits that cancel out leave the signed bytes as they were', () => {
    const i = signed.indexOf('T1');
    const back = applyEdits(signed, [{ op: 'insert', at: i, text: '9' }, { op: 'delete', at: i, length: 1 }]);
    expect(back).toBe(signed);
    expect(signedBytesChanged(payload, back)).toBe(false);
  });
});

describe('OCMF fuzzing (CI share)', () => {
  it('uses the shared corpus (set OCMF_CORPUS_DIR if it lives elsewhere)', () => {
    expect(corpusDir).toBeDefined();
  });

  it('3 000 generated datasets: nothing throws, the verifiers agree, no changed dataset is valid, the heap stays bounded', () => {
    const counts = runOcmfFuzz({ datasets: 3_000, seed: 20261127, batch: 1_000, ...(corpusDir ? { corpusDir } : {}) });
    expect(counts.failure).toBeUndefined();
    expect(counts.datasets).toBe(3_000);
    // Every kind was generated, mutations reached the signature check, and some edits left a dataset
    // verifiable (so the oracle is not vacuous: it would see a valid verdict where one is wrong).
    for (const n of Object.values(counts.byKind)) expect(n).toBeGreaterThan(0);
    expect(counts.verdicts.invalid).toBeGreaterThan(0);
    expect(counts.keptAndValid).toBeGreaterThan(0);
    expect(counts.freshSignedValid).toBe(counts.byKind['fresh-mutant']);
    expect(counts.signedBytesChanged).toBeGreaterThan(counts.signedBytesKept);
  });
});
