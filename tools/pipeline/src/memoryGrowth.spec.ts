import { memoryGrowth, type RssSample } from './memoryGrowth';

const MiB = 1024 * 1024;
/** One sample every 5 s for `minutes`, RSS from `rss(t)` plus a garbage-collection sawtooth of ±8 MiB. */
const run = (minutes: number, rss: (t: number) => number): RssSample[] =>
  Array.from({ length: (minutes * 60) / 5 + 1 }, (_, i) => ({ t: i * 5, rss: rss(i * 5) + ((i % 6) - 3) * (8 / 3) * MiB }));

describe('memoryGrowth', () => {
  it('a process that fills up during the warm-up and then stays level does not grow', () => {
    const g = memoryGrowth(run(10, (t) => 150 * MiB + Math.min(t, 90) * MiB));
    expect(g.grows).toBe(false);
    expect(Math.abs(g.slopePerHour)).toBeLessThan(40 * MiB);
  });

  it('on 250 MiB, a drift of 1 MiB a minute (60 MiB/h, under half its size an hour) passes, 4 MiB a minute (240 MiB/h) grows', () => {
    expect(memoryGrowth(run(10, (t) => 250 * MiB + (t / 60) * MiB)).grows).toBe(false);
    expect(memoryGrowth(run(10, (t) => 250 * MiB + (t / 60) * 4 * MiB)).grows).toBe(true);
  });

  it('a leak of 20 MiB a minute is found within a few minutes, whatever the sawtooth', () => {
    const g = memoryGrowth(run(3, (t) => 100 * MiB + (t / 60) * 20 * MiB));
    expect(g.grows).toBe(true);
    expect(g.slopePerHour / MiB).toBeGreaterThan(1000);
    expect(g.slopePerHour / MiB).toBeLessThan(1400);
  });

  it("a cache that is still filling after the warm-up and levels off in the run's second half does not grow; a leak at the same rate does", () => {
    // The query service under a 10-minute soak: SQLite's 16 MB page cache fills for 5 minutes, then stays.
    const filling = memoryGrowth(run(10, (t) => 90 * MiB + Math.min(t, 300) * (28 / 300) * MiB));
    expect(filling.slopePerHour).toBeGreaterThan(filling.limitPerHour);
    expect(filling.secondHalfSlopePerHour).toBeLessThan(filling.limitPerHour);
    expect(filling.grows).toBe(false);
    expect(memoryGrowth(run(10, (t) => 90 * MiB + t * (28 / 300) * MiB)).grows).toBe(true);
  });

  it('decides nothing on fewer than 5 samples after the warm-up', () => {
    const g = memoryGrowth([{ t: 0, rss: MiB }, { t: 5, rss: 900 * MiB }, { t: 10, rss: 1900 * MiB }]);
    expect(g.samplesUsed).toBeLessThan(5);
    expect(g.grows).toBe(false);
  });
});
