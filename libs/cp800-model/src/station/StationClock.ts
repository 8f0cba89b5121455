import type { SeededRandom } from '../SeededRandom';

/** The station's RTC loses legal synchronisation about 12 h after the last successful NTP sync (manual: ClockUnsync). */
export const UNSYNC_AFTER_MS = 12 * 3600_000;

export type ClockTransition = 'ClockSync' | 'ClockUnsync' | 'ClockChanged';

/**
 * The station clock. While synchronised it shows true time; after a sync is lost it drifts (RTC drift,
 * a few tens of ppm), which is why the ledger never orders by the station's timestamps.
 */
export class StationClock {
  private synced = false;
  private lastSyncAt: number | undefined;
  private offsetMs = 0;
  readonly driftPpm: number;

  constructor(rng: SeededRandom) {
    this.driftPpm = rng.between(-60, 60);
  }

  get isSynchronized(): boolean {
    return this.synced;
  }

  /** OCMF TM status letter: S synchronised, U unknown/unsynchronised. */
  get timeStatus(): 'S' | 'U' {
    return this.synced ? 'S' : 'U';
  }

  /** Station time for true time `t`. */
  now(t: number): number {
    const since = this.lastSyncAt === undefined ? 0 : t - this.lastSyncAt;
    return Math.round(t + this.offsetMs + (this.synced ? 0 : (since * this.driftPpm) / 1e6));
  }

  /** A successful NTP sync at true time `t`. Returns the log entries it causes, in order. */
  sync(t: number): ClockTransition[] {
    const out: ClockTransition[] = [];
    if (Math.abs(this.now(t) - t) >= 1000) out.push('ClockChanged');
    if (!this.synced) out.push('ClockSync');
    this.synced = true;
    this.offsetMs = 0;
    this.lastSyncAt = t;
    return out;
  }

  /**
   * Checks the sync age at `t`. When synchronisation was lost since the previous check (last sync +
   * 12 h), returns the station time of that moment (still exact: the clock was synchronised until then).
   */
  check(t: number): number | undefined {
    if (this.synced && this.lastSyncAt !== undefined && t - this.lastSyncAt >= UNSYNC_AFTER_MS) {
      const lostAt = this.lastSyncAt + UNSYNC_AFTER_MS;
      const stationTime = this.now(lostAt);
      this.synced = false;
      return stationTime;
    }
    return undefined;
  }

  /** The RTC set `deltaMs` forward (positive) or back at once, e.g. by hand or a bad time source; the next sync undoes it. */
  jump(deltaMs: number): void {
    this.offsetMs += deltaMs;
  }

  /** Boot: the RTC runs, not yet synchronised; a power cut may have shifted it. */
  boot(offsetMs: number): void {
    this.synced = false;
    this.offsetMs = offsetMs;
  }
}
