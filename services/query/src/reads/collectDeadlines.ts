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
      let corrupt: string | undefined; // the latest record's row does not parse: never fall back to an older one
      for await (const { event } of ledger.eventsOf(ledger.stationStream(stationId, 'station'))) {
        if (event.type === 'StationCommissioningRecorded') [latest, corrupt] = [event.data, undefined];
        else if (event.type === 'UnreadableEvent' && event.data.storedType === 'StationCommissioningRecorded') [latest, corrupt] = [undefined, event.data.reason];
      }
      if (corrupt !== undefined) {
        out.unreadable.push({ stationId, problem: `the latest commissioning record is not readable (${corrupt}); record it again` });
        continue;
      }
      if (latest === undefined) continue;
      const read = readCommissioning(stationId, latest);
      if (!read.ok) out.unreadable.push({ stationId, problem: read.problem });
      else out.deadlines.push(...complianceDeadlines(read.record, now));
    } catch {
      out.unreadable.push({ stationId, problem: 'the commissioning record could not be evaluated (dates out of range?); record it again' });
    }
  }
  out.unreadable.sort((a, b) => (a.stationId < b.stationId ? -1 : a.stationId > b.stationId ? 1 : 0));
  out.deadlines.sort((a, b) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : 0));
  return out;
}
