import type { BackOff } from './BackOff';
import { sleep as timer } from './sleep';

export interface RetryAttempt {
  /** What the failed attempt threw. */
  error: unknown;
  /** Number of the failed attempt, from 1. */
  attempt: number;
  /** The pause before the next attempt, ms. */
  delayMs: number;
}

export interface RetryOptions {
  backOff: BackOff;
  /** Which failures are worth another attempt; the others are thrown at once. Default: every one. */
  isRetriable?: (error: unknown) => boolean;
  /** Called once per failed attempt, before the pause (one summarising log line, readiness…). */
  onRetry?: (retry: RetryAttempt) => void | Promise<void>;
  /** Pauses; injectable so tests need no clock. Default: a timer. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Stops retrying: the pending pause ends and `RetryAborted` is thrown. */
  signal?: AbortSignal;
}

/** Thrown when retrying was stopped through the signal (the service is shutting down). */
export class RetryAborted extends Error {
  override readonly name = 'RetryAborted';

  constructor(readonly lastError: unknown) {
    super('stopped retrying: shutting down');
  }
}

/**
 * Runs `operation` until it succeeds, pausing with capped exponential back-off between attempts.
 * A failure `isRetriable` rejects is thrown at once; there is no limit on the number of attempts
 * (stop through `signal`).
 */
export async function retryWithBackOff<T>(operation: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const sleep = options.sleep ?? timer;
  for (let attempt = 1; ; attempt++) {
    if (options.signal?.aborted) throw new RetryAborted(undefined);
    try {
      return await operation(attempt);
    } catch (error) {
      if (options.isRetriable && !options.isRetriable(error)) throw error;
      if (options.signal?.aborted) throw new RetryAborted(error);
      const delayMs = options.backOff.delayMs(attempt);
      await options.onRetry?.({ error, attempt, delayMs });
      await sleep(delayMs, options.signal);
      if (options.signal?.aborted) throw new RetryAborted(error);
    }
  }
}
