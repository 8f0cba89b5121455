import { formatReadingTime, signOcmf } from '@metrology-ledger/ocmf';
import { SeededRandom } from '../SeededRandom';
import { cp800ReadingTime, signCp800Dataset } from './Cp800OcmfWriter';
import { StationSigningKey } from './StationSigningKey';

describe('cp800ReadingTime', () => {
  it('writes TM as the OCMF library does in UTC, for both sync letters', () => {
    const rng = new SeededRandom(5);
    for (let i = 0; i < 3000; i++) {
      const ms = Math.round(rng.between(Date.UTC(2020, 0, 1), Date.UTC(2035, 0, 1)));
      const status = rng.chance(0.5) ? 'S' : 'U';
      expect(cp800ReadingTime(ms, status)).toBe(formatReadingTime(ms, status));
    }
  });
});

describe('signCp800Dataset', () => {
  it('writes the text signOcmf writes with the CP800 options (deterministic and unsigned keys)', () => {
    const payload = '{"FV":"1.0","GI":"CP0001","PG":"T1-42","RD":[{"TX":"B", "RV":1.0}]}';
    for (const mode of ['rfc6979', 'unsigned'] as const) {
      const key = StationSigningKey.generate(new SeededRandom(9), mode);
      const expected = signOcmf(payload, (data) => key.sign(data), { algorithm: 'ECDSA-secp384r1-SHA256', encoding: 'base 64', signatureSpacing: ' ' });
      expect(signCp800Dataset(payload, key)).toBe(expected);
    }
  });
});
