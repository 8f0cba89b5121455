import { STATISTICS_MIN_ROWS, statisticsDue } from './statisticsDue';

describe('statisticsDue', () => {
  it('waits for at least the minimum on a small or new table', () => {
    expect(statisticsDue(0, STATISTICS_MIN_ROWS - 1)).toBe(false);
    expect(statisticsDue(0, STATISTICS_MIN_ROWS)).toBe(true);
    expect(statisticsDue(-1, STATISTICS_MIN_ROWS)).toBe(true);
  });

  it('waits for half of a large table', () => {
    expect(statisticsDue(1_000_000, 499_999)).toBe(false);
    expect(statisticsDue(1_000_000, 500_000)).toBe(true);
  });
});
