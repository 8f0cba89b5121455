import { formatReadingTime } from '@metrology-ledger/ocmf';
import { SeededRandom } from '../SeededRandom';
import { cp800ReadingTime } from './Cp800OcmfWriter';

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
