import type { Ledger } from '../Ledger';
import { LedgerRuleViolation } from '../domain/LedgerRuleViolation';

/**
 * The legal floor, in full calendar years after the end of the year a record was made: the manual asks
 * that packets be kept "at least until the legal periods of appeal for the transaction have expired";
 * the regular limitation period for claims from the charging contract is three years from the end of
 * the year the claim arose (BGB §§ 195, 199). Operators with longer duties (commercial and tax records)
 * set more; the ledger never accepts less.
 */
export const LEGAL_RETENTION_YEARS = 3;

/** The retention setting, checked: never shorter than the legal floor. */
export function retentionYears(years: number = LEGAL_RETENTION_YEARS): number {
  if (!Number.isInteger(years) || years < LEGAL_RETENTION_YEARS) {
    throw new LedgerRuleViolation('retention-below-legal-minimum', `retention must be a whole number of years, at least ${LEGAL_RETENTION_YEARS} (the legal periods of appeal, BGB §§ 195, 199); got ${JSON.stringify(years)}`);
  }
  return years;
}

export interface RetentionReport {
  years: number;
  /** Records made before this instant have outlived the retention period. */
  cutoff: string;
  /** Streams holding such records: how many, and the oldest and newest of them. */
  streams: { streamId: string; events: number; oldest: string; newest: string }[];
  eventsPastRetention: number;
  /** Always 0: the ledger removes nothing by itself; deleting is an operator's decision outside it. */
  removed: 0;
}

/**
 * What has outlived the retention period: records made before 1 January of (this year − years), i.e.
 * whose year ended more than `years` full years ago. Reads every stream (work follows the data); removes
 * nothing.
 */
export async function retentionReport(ledger: Ledger, years: number, now: Date = new Date()): Promise<RetentionReport> {
  const y = retentionYears(years);
  const cutoff = new Date(Date.UTC(now.getUTCFullYear() - y, 0, 1)).toISOString();
  const streams: RetentionReport['streams'] = [];
  let total = 0;
  for (const streamId of await ledger.store.streams('')) {
    let events = 0;
    let oldest = '';
    let newest = '';
    for await (const e of ledger.eventsOf(streamId)) {
      if (!(e.recordedAt < cutoff)) continue;
      events++;
      if (oldest === '' || e.recordedAt < oldest) oldest = e.recordedAt;
      if (e.recordedAt > newest) newest = e.recordedAt;
    }
    if (events > 0) streams.push({ streamId, events, oldest, newest });
    total += events;
  }
  return { years: y, cutoff, streams, eventsPastRetention: total, removed: 0 };
}
