import fc from 'fast-check';
import { samplePayload, TestStation } from '../test/support/TestStation';
import { NodeCryptoVerifier } from './crypto/NodeCryptoVerifier';
import { parseOcmf } from './parseOcmf';
import { verifyOcmf } from './verifyOcmf';

const verifier = new NodeCryptoVerifier();
const station = new TestStation('secp384r1');
const valid = station.sign(samplePayload(42));

describe('a mutated valid dataset never verifies', () => {
  it('for any change of one character of the payload', () => {
    const start = valid.indexOf('|') + 1;
    const end = valid.lastIndexOf('|{');
    fc.assert(
      fc.property(fc.integer({ min: start, max: end - 1 }), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }), (i, ch) => {
        fc.pre(valid[i] !== ch);
        const mutated = valid.slice(0, i) + ch + valid.slice(i + 1);
        expect(verifyOcmf(mutated, { publicKey: station.publicKeyHex, verifier }).verdict).not.toBe('valid');
      }),
      { numRuns: 500 },
    );
  });

  it('for insertions and deletions anywhere in the dataset, white space included', () => {
    fc.assert(
      fc.property(fc.nat(), fc.constantFrom(' ', '\n', '0', '|', '"', '{', ''), fc.boolean(), (at, insert, del) => {
        const i = at % valid.length;
        const mutated = del ? valid.slice(0, i) + insert + valid.slice(i + 1) : valid.slice(0, i) + insert + valid.slice(i);
        fc.pre(mutated !== valid);
        const v = verifyOcmf(mutated, { publicKey: station.publicKeyHex, verifier });
        // Only the header and the payload are signed. An edit may leave the verdict valid only when it
        // falls in the (unsigned) signature section, or is white space inserted before the header.
        if (v.verdict === 'valid') {
          const beforeHeader = i === 0 && !del && /^\s$/.test(insert);
          expect(beforeHeader || i > valid.lastIndexOf('|{')).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('the parser never throws', () => {
  it('on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.boolean(), (s, withHeader) => {
        const input = withHeader ? `OCMF|${s}` : s;
        expect(() => parseOcmf(input)).not.toThrow();
        expect(() => verifyOcmf(input, { publicKey: station.publicKeyHex, verifier })).not.toThrow();
      }),
      { numRuns: 1000 },
    );
  });

  it('on arbitrary JSON payloads and signature sections', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (payload, sig) => {
        const input = `OCMF|${JSON.stringify(payload)}|${JSON.stringify(sig)}`;
        const v = verifyOcmf(input, { publicKey: station.publicKeyHex, verifier });
        expect(['invalid', 'error']).toContain(v.verdict);
      }),
      { numRuns: 1000 },
    );
  });

  it('on payloads with fields of the wrong types', () => {
    const fields = ['FV', 'PG', 'MS', 'IS', 'IL', 'IF', 'IT', 'ID', 'TT', 'LC', 'CI', 'CT', 'RD'];
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...fields), fc.jsonValue()), fc.array(fc.dictionary(fc.constantFrom('TM', 'TX', 'RV', 'RI', 'RU', 'RT', 'CL', 'EF', 'ST'), fc.jsonValue())), (top, rd) => {
        const input = `OCMF|${JSON.stringify({ ...top, RD: rd })}|{"SD":"00"}`;
        const r = parseOcmf(input);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
  });
});
