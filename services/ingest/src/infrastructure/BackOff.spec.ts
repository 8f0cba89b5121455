import { BackOff } from './BackOff';

describe('BackOff', () => {
  it('doubles the pause from the first failure and never exceeds the cap', () => {
    const b = new BackOff({ initialMs: 200, maxMs: 5_000 });
    expect([1, 2, 3, 4, 5, 6, 7, 50, 5000].map((n) => b.delayMs(n))).toEqual([200, 400, 800, 1_600, 3_200, 5_000, 5_000, 5_000, 5_000]);
  });

  it('refuses settings that would never pause or never grow', () => {
    expect(() => new BackOff({ initialMs: 0, maxMs: 10 })).toThrow(RangeError);
    expect(() => new BackOff({ initialMs: 100, maxMs: 10 })).toThrow(RangeError);
    expect(() => new BackOff({ initialMs: 1, maxMs: 10, factor: 0.5 })).toThrow(RangeError);
  });
});
