import type { Decider } from './Decider';
import type { ConflictReceived, DatasetRecorded, DuplicateReceived, GapClosed, GapOpened, LedgerEvent, Receipt } from './LedgerEvent';
import { LedgerRuleViolation, quoteBounded } from './LedgerRuleViolation';
import { CounterHashes } from './CounterHashes';
import { CounterRangeSet } from './CounterRangeSet';
import { DigestSet } from './DigestSet';
import { countMissing, type CounterRange } from './missingRanges';

/** A dataset whose signature verified under a registered key of its station. */
export type VerifiedDataset = DatasetRecorded['data'];

/** Events a dataset stream holds. */
export type DatasetStreamEvent = DatasetRecorded | GapOpened | GapClosed | DuplicateReceived | ConflictReceived;

/**
 * What the ledger knows about one dataset stream, folded from its events, and no more than its
 * decisions need: which counters are held (as ranges: a stream delivered in order is one range), the
 * payload hashes held under each counter (to tell a duplicate from a conflict and to name what a
 * conflict conflicts with), the highest counter, and which messages were processed (digests of
 * message id and content). Counters are BigInt here; events carry them as decimal text, exact at any
 * size.
 */
export interface DatasetStreamState {
  /** The counters held. */
  readonly held: CounterRangeSet;
  /** counter -> payload hashes held (more than one: a conflict). */
  readonly payloads: CounterHashes;
  highest: bigint;
  /** Digests of (message id, content key) processed. */
  readonly processed: DigestSet;
}

/** The most digits a counter may have: far beyond any meter, small enough that BigInt work stays trivial. */
export const MAX_COUNTER_DIGITS = 200;

/**
 * What makes two deliveries "the same message": the message id and the hash of the whole message as
 * received (payload hash for events recorded before receipts carried it). The same id with other
 * content is a different message and is decided like any other, never skipped.
 */
export function contentKey(receipt: Receipt, fallback: string): string {
  return receipt.messageSha256 ?? fallback;
}

export function wasProcessed(processed: DigestSet, messageId: string, key: string): boolean {
  return processed.has(DigestSet.ofMessage(messageId, key));
}

export function markProcessed(processed: DigestSet, messageId: string, key: string): void {
  processed.add(DigestSet.ofMessage(messageId, key));
}

/**
 * The ledger's rule for one verified dataset, given its stream's state. Order is the pagination
 * counter (never the station clock):
 * - a counter already held with the same bytes: DuplicateReceived;
 * - a counter already held with other bytes: ConflictReceived (both kept);
 * - a new counter above the next expected one: GapOpened for the counters skipped (one range, however
 *   many counters), then DatasetRecorded;
 * - a new counter below the highest (a missing one arriving late): DatasetRecorded, then GapClosed;
 * - the same message again (same id, same content: a redelivery after a crash): nothing at all.
 * Whatever the delivery order of the same datasets, the open gaps, duplicates and conflicts end the same.
 */
export const datasetStream: Decider<VerifiedDataset, DatasetStreamEvent, DatasetStreamState> = {
  initialState: () => ({ held: new CounterRangeSet(), payloads: new CounterHashes(), highest: 0n, processed: new DigestSet() }),

  evolve(state, event) {
    switch (event.type) {
      case 'DatasetRecorded':
      case 'ConflictReceived': {
        const c = BigInt(event.data.counter);
        state.held.add(c);
        state.payloads.add(c, event.data.payloadSha256);
        if (c > state.highest) state.highest = c;
        markProcessed(state.processed, event.data.receipt.messageId, contentKey(event.data.receipt, event.data.payloadSha256));
        return state;
      }
      case 'DuplicateReceived':
        markProcessed(state.processed, event.data.receipt.messageId, contentKey(event.data.receipt, event.data.payloadSha256));
        return state;
      default:
        return state;
    }
  },

  decide(d, state) {
    if (!/^\d+$/.test(d.counter) || d.counter.length > MAX_COUNTER_DIGITS) {
      throw new LedgerRuleViolation('counter', `a pagination counter is a decimal integer of at most ${MAX_COUNTER_DIGITS} digits; got ${quoteBounded(d.counter)}`);
    }
    if (wasProcessed(state.processed, d.receipt.messageId, contentKey(d.receipt, d.payloadSha256))) return [];
    const counter = BigInt(d.counter);
    const key = { stationId: d.stationId, publicKey: d.publicKey };
    if (state.held.has(counter)) {
      const held = state.payloads.get(counter);
      if (held.includes(d.payloadSha256)) {
        return [{ type: 'DuplicateReceived', data: { ...key, counter: d.counter, payloadSha256: d.payloadSha256, receipt: d.receipt } }];
      }
      return [
        {
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
        },
      ];
    }
    const events: DatasetStreamEvent[] = [];
    const next = state.highest + 1n;
    if (counter > next) {
      events.push({ type: 'GapOpened', data: { ...key, from: next.toString(), to: (counter - 1n).toString(), detectedBy: d.receipt.messageId } });
    }
    events.push({ type: 'DatasetRecorded', data: d });
    if (counter < state.highest) events.push({ type: 'GapClosed', data: { ...key, counter: d.counter, messageId: d.receipt.messageId } });
    return events;
  },
};

export type { CounterRange };
export { countMissing };

/** Counters from 1 to the highest that are not held, as ranges (work follows the number of held ranges). */
export function openGapRanges(state: Pick<DatasetStreamState, 'held'>): CounterRange[] {
  return state.held.missing(1n);
}

export function isDatasetStreamEvent(e: LedgerEvent): e is DatasetStreamEvent {
  return e.type === 'DatasetRecorded' || e.type === 'GapOpened' || e.type === 'GapClosed' || e.type === 'DuplicateReceived' || e.type === 'ConflictReceived';
}
