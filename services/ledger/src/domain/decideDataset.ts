import type { DatasetStreamState } from './DatasetStreamState';
import type { ConflictReceived, DatasetRecorded, DuplicateReceived, GapClosed, GapOpened, LedgerEvent } from './LedgerEvent';

/** A dataset whose signature verified under a registered key of its station. */
export type VerifiedDataset = DatasetRecorded['data'];

/**
 * The ledger's rule for one verified dataset, given its stream's state. Order is the pagination
 * counter (never the station clock):
 * - a counter already held with the same bytes: DuplicateReceived;
 * - a counter already held with other bytes: ConflictReceived (both kept);
 * - a new counter above the next expected one: GapOpened for the counters skipped, then DatasetRecorded;
 * - a new counter below the highest (a missing one arriving late): DatasetRecorded, then GapClosed;
 * - a message already processed (redelivery after a crash): nothing at all.
 * Whatever the delivery order of the same datasets, the open gaps, duplicates and conflicts end the same.
 */
export function decideDataset(state: DatasetStreamState, d: VerifiedDataset): LedgerEvent[] {
  if (state.processedMessages.has(d.receipt.messageId)) return [];
  const counter = BigInt(d.counter);
  const held = state.held.get(counter);
  const key = { stationId: d.stationId, publicKey: d.publicKey };
  if (held) {
    if (held.includes(d.payloadSha256)) {
      const dup: DuplicateReceived = { type: 'DuplicateReceived', data: { ...key, counter: d.counter, payloadSha256: d.payloadSha256, receipt: d.receipt } };
      return [dup];
    }
    const conflict: ConflictReceived = {
      type: 'ConflictReceived',
      data: {
        ...key,
        counter: d.counter,
        ocmf: d.ocmf,
        payloadSha256: d.payloadSha256,
        conflictsWith: [...held],
        transactionId: d.transactionId,
        connector: d.connector,
        emspId: d.emspId,
        verification: d.verification,
        receipt: d.receipt,
      },
    };
    return [conflict];
  }
  const events: LedgerEvent[] = [];
  const next = state.highest + 1n;
  if (counter > next) {
    const gap: GapOpened = { type: 'GapOpened', data: { ...key, from: next.toString(), to: (counter - 1n).toString(), detectedBy: d.receipt.messageId } };
    events.push(gap);
  }
  events.push({ type: 'DatasetRecorded', data: d });
  if (counter < state.highest) {
    const closed: GapClosed = { type: 'GapClosed', data: { ...key, counter: d.counter, messageId: d.receipt.messageId } };
    events.push(closed);
  }
  return events;
}
