import { BackOff } from './BackOff';
import { RetryAborted, retryWithBackOff, type RetryAttempt } from './retryWithBackOff';

describe('retryWithBackOff', () => {
  const backOff = new BackOff({ initialMs: 100, maxMs: 1_000 });

  it('retries until the operation succeeds, pausing with capped exponential back-off, one report per failure', async () => {
    const pauses: number[] = [];
    const reports: RetryAttempt[] = [];
    let calls = 0;
    const result = await retryWithBackOff(
      async (attempt) => {
        calls++;
        if (attempt < 7) throw new Error(`down ${attempt}`);
        return 'recorded';
      },
      { backOff, sleep: async (ms) => void pauses.push(ms), onRetry: (r) => void reports.push(r) },
    );
    expect(result).toBe('recorded');
    expect(calls).toBe(7);
    expect(pauses).toEqual([100, 200, 400, 800, 1_000, 1_000]);
    expect(reports.map((r) => [r.attempt, r.delayMs, (r.error as Error).message])).toEqual(pauses.map((ms, i) => [i + 1, ms, `down ${i + 1}`]));
  });

  it('throws at once what is not retriable', async () => {
    const sleep = jest.fn(async () => undefined);
    const fatal = Object.assign(new Error('bad credentials'), { retriable: false });
    await expect(retryWithBackOff(async () => Promise.reject(fatal), { backOff, sleep, isRetriable: (e) => (e as { retriable?: boolean }).retriable !== false })).rejects.toBe(fatal);
    expect(sleep).not.toHaveBeenCalled();
  });

  it('stops when its signal is aborted, ending the pause', async () => {
    const stop = new AbortController();
    let calls = 0;
    const run = retryWithBackOff(
      async () => {
        calls++;
        throw new Error('store down');
      },
      { backOff: new BackOff({ initialMs: 60_000, maxMs: 60_000 }), signal: stop.signal },
    );
    await new Promise((r) => setImmediate(r));
    stop.abort();
    const error = await run.catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryAborted);
    expect(((error as RetryAborted).lastError as Error).message).toBe('store down');
    expect(calls).toBe(1);
  });
});
