import { FailedAuthThrottle } from './FailedAuthThrottle';

describe('FailedAuthThrottle', () => {
  const limits = { limit: 3, windowMs: 60_000, maxTracked: 100 };

  it('blocks an address for a window after `limit` failures, and only that address', () => {
    const t = new FailedAuthThrottle(limits);
    t.fail('a', 0);
    t.fail('a', 1000);
    expect(t.retryAfter('a', 1000)).toBe(0);
    t.fail('a', 2000);
    expect(t.retryAfter('a', 2000)).toBe(60);
    expect(t.retryAfter('a', 61_500)).toBe(1);
    expect(t.retryAfter('b', 2000)).toBe(0);
    expect(t.retryAfter('a', 62_000)).toBe(0);
  });

  it('forgets failures older than the window', () => {
    const t = new FailedAuthThrottle(limits);
    t.fail('a', 0);
    t.fail('a', 1000);
    t.fail('a', 61_000);
    expect(t.retryAfter('a', 61_000)).toBe(0);
  });

  it('keeps a block when failures from many other addresses fill the table (the review lifted it that way)', () => {
    const t = new FailedAuthThrottle(limits);
    for (const at of [0, 1, 2]) t.fail('blocked', at);
    expect(t.retryAfter('blocked', 10)).toBeGreaterThan(0);
    for (let i = 0; i < 10 * limits.maxTracked; i++) t.fail(`other-${i}`, 100 + i);
    expect(t.tracked).toBeLessThanOrEqual(limits.maxTracked);
    expect(t.retryAfter('blocked', 20_000)).toBeGreaterThan(0);
  });

  it('tracks a bounded number of addresses', () => {
    const t = new FailedAuthThrottle({ ...limits, maxTracked: 10 });
    for (let i = 0; i < 1000; i++) t.fail(`10.0.${i >> 8}.${i & 255}`, i);
    expect(t.tracked).toBeLessThanOrEqual(10);
  });
});
