import type { Ledger } from '@metrology-ledger/ledger';
import { complianceDeadlines, type Deadline } from '../domain/complianceDeadlines';
import { readCommissioning } from '../domain/readCommissioning';

/** A station whose commissioning record cannot be read: reported, never a failure for everyone. */
export interface UnreadableStation {
  stationId: string;
  problem: string;
}

export interface DeadlineFold {
  deadlines: Deadline[];
  unreadable: UnreadableStation[];
}

/**
 * Every station's deadlines, from the latest commissioning record of each station the ledger knows
 * (`stationsWith('station')`, `eventsOf`). A station whose record cannot be read is listed in
 * `unreadable` with the problem; the others are answered all the same.
 */
export async function collectDeadlines(ledger: Ledger, now: Date): Promise<DeadlineFold> {
  const out: DeadlineFold = { deadlines: [], unreadable: [] };
  for (const stationId of await ledger.stationsWith('station')) {
    try {
      let latest: unknown;
      for await (const { event } of ledger.eventsOf(ledger.stationStream(stationId, 'station'))) if (event.type === 'StationCommissioningRecorded') latest = event.data;
      if (latest === undefined) continue;
      const read = readCommissioning(stationId, latest);
      if (!read.ok) out.unreadable.push({ stationId, problem: read.problem });
      else out.deadlines.push(...complianceDeadlines(read.record, now));
    } catch {
      out.unreadable.push({ stationId, problem: 'the commissioning record could not be evaluated (dates out of range?); record it again' });
    }
  }
  out.deadlines.sort((a, b) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : 0));
  return out;
}
