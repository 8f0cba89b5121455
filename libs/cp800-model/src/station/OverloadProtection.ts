/**
 * Overload protection (station manual, "Protection contre les surcharges"): a current above 125 % of
 * the limit (station, vehicle or installation) that lasts stops the session within 10 s; an overload
 * corrected within that window does not. After a few seconds the station closes its contacts again;
 * this resume happens up to three times. When the overload comes back after the third resume, the
 * station allows no more sessions until a power cycle with at least one minute off.
 */
export const TRIP_FACTOR = 1.25;
/** Time an overload must last before the contacts open: under the manual's 10 s. */
export const TRIP_DELAY_MS = 9_500;
/** "Après quelques secondes": pause before the station closes its contacts again. */
export const RESUME_DELAY_MS = 5_000;
export const MAX_RESUMES = 3;
/** Minimum time off for a power cycle to clear the lockout. */
export const POWER_CYCLE_OFF_MS = 60_000;

export type OverloadOutcome =
  | { kind: 'tolerated'; reason: string }
  | { kind: 'tripped'; tripAt: number; resumeAt: number; resumesLeft: number }
  | { kind: 'locked-out'; tripAt: number };

export class OverloadProtection {
  private resumesUsed = 0;
  private locked = false;

  get lockedOut(): boolean {
    return this.locked;
  }

  /** Trip threshold for a limit: 8 A -> 10 A, 32 A -> 40 A (manual's table). */
  static tripCurrentA(limitA: number): number {
    return limitA * TRIP_FACTOR;
  }

  /**
   * An overcurrent episode starting at `t`, of `currentA` against `limitA`, lasting `durationMs`.
   */
  onOvercurrent(t: number, currentA: number, limitA: number, durationMs: number): OverloadOutcome {
    if (currentA <= OverloadProtection.tripCurrentA(limitA)) {
      return { kind: 'tolerated', reason: `${currentA} A is within 125 % of ${limitA} A` };
    }
    if (durationMs < TRIP_DELAY_MS) return { kind: 'tolerated', reason: `overload corrected after ${durationMs} ms` };
    const tripAt = t + TRIP_DELAY_MS;
    if (this.resumesUsed >= MAX_RESUMES) {
      this.locked = true;
      return { kind: 'locked-out', tripAt };
    }
    this.resumesUsed++;
    return { kind: 'tripped', tripAt, resumeAt: tripAt + RESUME_DELAY_MS, resumesLeft: MAX_RESUMES - this.resumesUsed };
  }

  /** A new session starts with the full three resume attempts. */
  resetForSession(): void {
    this.resumesUsed = 0;
  }

  /** Power cycle: clears the lockout only when the station was off for at least a minute. */
  powerCycle(offMs: number): boolean {
    if (offMs >= POWER_CYCLE_OFF_MS) {
      this.locked = false;
      this.resumesUsed = 0;
      return true;
    }
    return false;
  }
}
