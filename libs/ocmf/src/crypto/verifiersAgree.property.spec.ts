import fc from 'fast-check';
import { ALL_CURVES, samplePayload, TestStation } from '../../test/support/TestStation';
import { CURVES, type CurveName } from './Curve';
import { decodePublicKey } from './EcPublicKey';
import { NobleVerifier } from './NobleVerifier';
import { NodeCryptoVerifier } from './NodeCryptoVerifier';
import { verifyOcmf } from '../verifyOcmf';

const node = new NodeCryptoVerifier();
const noble = new NobleVerifier();
const stations = Object.fromEntries(ALL_CURVES.map((c) => [c, new TestStation(c)])) as Record<CurveName, TestStation>;

describe('node:crypto and @noble/curves agree', () => {
  it('on random signatures, keys and messages of every curve', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ALL_CURVES),
        fc.uint8Array({ minLength: 0, maxLength: 200 }),
        fc.uint8Array({ minLength: 0, maxLength: 100 }),
        (curve, message, sigSeed) => {
          const info = CURVES[curve];
          const key = decodePublicKey(stations[curve].publicKeyHex);
          if (!key.ok) throw new Error(key.reason);
          const half = info.byteLength;
          const bytes = new Uint8Array(2 * half);
          bytes.set(sigSeed.subarray(0, bytes.length));
          const sig = { r: bytes.subarray(0, half), s: bytes.subarray(half), deviations: [] };
          expect(noble.verify(info, key.key, message, sig)).toBe(node.verify(info, key.key, message, sig));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('on real signatures, with and without a flipped bit anywhere in the dataset', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ALL_CURVES),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.double({ min: 0, max: 1e6, noNaN: true }),
        fc.string({ maxLength: 40 }),
        fc.option(fc.nat(), { nil: undefined }),
        (curve, counter, begin, tariff, flipAt) => {
          const st = stations[curve];
          let dataset = st.sign(samplePayload(counter, begin, begin + 1, tariff));
          if (flipAt !== undefined) {
            const i = flipAt % dataset.length;
            dataset = dataset.slice(0, i) + String.fromCharCode(dataset.charCodeAt(i) ^ 1) + dataset.slice(i + 1);
          }
          const a = verifyOcmf(dataset, { publicKey: st.publicKeyHex, verifier: node });
          const b = verifyOcmf(dataset, { publicKey: st.publicKeyHex, verifier: noble });
          expect(b.verdict).toBe(a.verdict);
          if (flipAt === undefined) expect(a.verdict).toBe('valid');
        },
      ),
      { numRuns: 200 },
    );
  });
});
