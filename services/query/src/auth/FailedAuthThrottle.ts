export interface FailedAuthLimits {
  /** Failed authentications from one address allowed in a window. */
  limit: number;
  windowMs: number;
  /** Addresses tracked at most (memory bound); the oldest unblocked entries go first. */
  maxTracked: number;
}

export const DEFAULT_FAILED_AUTH_LIMITS: FailedAuthLimits = { limit: 20, windowMs: 60_000, maxTracked: 10_000 };

interface Entry {
  windowStart: number;
  failures: number;
  blockedUntil: number;
}

/**
 * Counts failed authentications per client address. The window opens at the first failure; the
 * `limit`-th failure within it blocks the address for one whole window from then. Only failures count:
 * a client whose requests authenticate is never slowed down. While an address is blocked every request
 * from it that needs a key is refused (429 with Retry-After) before the key is looked at, so a blocked
 * client cannot keep guessing; other addresses are not affected.
 */
export class FailedAuthThrottle {
  private readonly entries = new Map<string, Entry>();

  constructor(readonly limits: FailedAuthLimits = DEFAULT_FAILED_AUTH_LIMITS) {}

  /** Seconds the address must wait, or 0 when it may try. */
  retryAfter(address: string, now: number): number {
    const e = this.entries.get(address);
    if (!e) return 0;
    if (e.blockedUntil > now) return Math.max(1, Math.ceil((e.blockedUntil - now) / 1000));
    if (e.blockedUntil > 0 || now - e.windowStart >= this.limits.windowMs) this.entries.delete(address);
    return 0;
  }

  fail(address: string, now: number): void {
    let e = this.entries.get(address);
    if (!e || now - e.windowStart >= this.limits.windowMs) {
      if (e) this.entries.delete(address);
      this.makeRoom(now);
      e = { windowStart: now, failures: 0, blockedUntil: 0 };
      this.entries.set(address, e);
    }
    e.failures++;
    if (e.failures >= this.limits.limit) e.blockedUntil = now + this.limits.windowMs;
  }

  get tracked(): number {
    return this.entries.size;
  }

  private makeRoom(now: number): void {
    if (this.entries.size < this.limits.maxTracked) return;
    for (const [address, e] of this.entries) {
      if (e.blockedUntil <= now && now - e.windowStart >= this.limits.windowMs) this.entries.delete(address);
    }
    // Still full: the oldest addresses that are not blocked go first, so failures from many other
    // addresses cannot lift a block; blocked ones go only when every tracked address is blocked.
    for (const [address, e] of this.entries) {
      if (this.entries.size < this.limits.maxTracked) return;
      if (e.blockedUntil <= now) this.entries.delete(address);
    }
    for (const address of this.entries.keys()) {
      if (this.entries.size < this.limits.maxTracked) break;
      this.entries.delete(address);
    }
  }
}
