export interface BackOffOptions {
  /** Pause before the first retry, ms. */
  initialMs: number;
  /** No pause is longer than this, ms. */
  maxMs: number;
  /** Growth per attempt (default 2). */
  factor?: number;
}

/** Capped exponential back-off: initialMs, initialMs·factor, … up to maxMs. */
export class BackOff {
  readonly initialMs: number;
  readonly maxMs: number;
  readonly factor: number;

  constructor(options: BackOffOptions) {
    const factor = options.factor ?? 2;
    if (!(options.initialMs > 0) || !(options.maxMs >= options.initialMs) || !(factor >= 1)) {
      throw new RangeError(`back-off needs 0 < initialMs <= maxMs and factor >= 1; got ${JSON.stringify(options)}`);
    }
    this.initialMs = options.initialMs;
    this.maxMs = options.maxMs;
    this.factor = factor;
  }

  /** The pause after failed attempt number `attempt` (1 for the first failure). */
  delayMs(attempt: number): number {
    const n = Math.max(1, Math.floor(attempt));
    return Math.min(this.maxMs, this.initialMs * this.factor ** (n - 1));
  }
}
