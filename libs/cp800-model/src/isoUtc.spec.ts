import { SeededRandom } from './SeededRandom';
import { isoUtc, isoUtcSeconds } from './isoUtc';

describe('isoUtc', () => {
  it('writes what Date.toISOString writes, fractions of a millisecond dropped', () => {
    const rng = new SeededRandom(11);
    const samples = [0, -1, 0.999, -0.5, 86_399_999, 86_400_000, Date.UTC(2024, 1, 29, 23, 59, 59, 999), Date.UTC(2025, 0, 1), Date.UTC(-5, 0, 1), Date.UTC(10_000, 0, 1), Date.UTC(9999, 11, 31, 23, 59, 59, 999)];
    for (let i = 0; i < 5000; i++) samples.push(rng.between(Date.UTC(1990, 0, 1), Date.UTC(2040, 0, 1)));
    for (let i = 0; i < 2000; i++) samples.push(Date.UTC(2025, 5, 1) + rng.between(0, 3 * 86_400_000));
    for (const ms of samples) {
      expect(isoUtc(ms)).toBe(new Date(ms).toISOString());
      expect(isoUtcSeconds(ms)).toBe(`${new Date(ms).toISOString().slice(0, 19)}Z`);
    }
  });
});
