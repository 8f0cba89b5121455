import type { SessionProjector } from './SessionProjector';
import { ReadModelFollower, type ReadModelObserver } from './ReadModelFollower';

/** A projector whose catch-ups apply the given numbers of events, failing where the entry is an Error. */
function projector(script: (number | Error)[]) {
  const p = { eventsApplied: 0, calls: 0 };
  const fake = {
    get eventsApplied() {
      return p.eventsApplied;
    },
    catchUp: async () => {
      const step = script[Math.min(p.calls++, script.length - 1)];
      if (step instanceof Error) throw step;
      p.eventsApplied += step;
      return step;
    },
  } as unknown as SessionProjector;
  return { fake, p };
}

describe('ReadModelFollower', () => {
  const logger = { log: jest.fn(), warn: jest.fn() };

  it('retries the first catch-up with growing pauses until the ledger can be read, and only then counts as caught up', async () => {
    const { fake } = projector([new Error('connect ECONNREFUSED'), new Error('connect ECONNREFUSED'), 7, 0]);
    const pauses: number[] = [];
    const seen: boolean[] = [];
    const follower = new ReadModelFollower(fake, { refreshMs: 60_000, logger, sleep: async (ms) => void (pauses.push(ms), seen.push(follower.caughtUpOnce)) });
    expect(follower.caughtUpOnce).toBe(false);
    expect(await follower.start()).toBe(7);
    expect(follower.caughtUpOnce).toBe(true);
    expect(pauses).toEqual([500, 1_000]);
    expect(seen).toEqual([false, false]);
    expect(logger.warn).toHaveBeenCalledWith(expect.stringContaining('the first catch-up failed (attempt 1; not ready until it succeeds'));
    await follower.stop();
  });

  it('follows the ledger every refreshMs, reporting how many events each catch-up found behind, and stops', async () => {
    jest.useFakeTimers();
    try {
      const { fake, p } = projector([5, 3, new Error('read failed'), 0]);
      const reports: string[] = [];
      const observer: ReadModelObserver = { caughtUp: (events) => void reports.push(`behind ${events}`), failed: () => void reports.push('failed') };
      const follower = new ReadModelFollower(fake, { refreshMs: 1_000, logger, observer });
      await follower.start();
      await jest.advanceTimersByTimeAsync(3_000);
      expect(reports).toEqual(['behind 5', 'behind 3', 'failed', 'behind 0']);
      await follower.stop();
      const calls = p.calls;
      await jest.advanceTimersByTimeAsync(5_000);
      expect(p.calls).toBe(calls);
    } finally {
      jest.useRealTimers();
    }
  });

  it('stops waiting for the ledger when stopped before the first catch-up succeeded', async () => {
    const { fake } = projector([new Error('down')]);
    const follower = new ReadModelFollower(fake, { refreshMs: 1_000, retryMaxMs: 60_000, logger });
    const started = follower.start();
    await new Promise((r) => setTimeout(r, 20));
    await follower.stop();
    expect(await started).toBe(0);
    expect(follower.caughtUpOnce).toBe(false);
  });
});
