import { createHash } from 'node:crypto';
import type { Decider } from './Decider';
import { contentKey, markProcessed, wasProcessed } from './datasetStream';
import type { DatasetRejected, MetrologyLogEntryRecorded, StationFaultReported } from './LedgerEvent';

/** Events of the streams that hold one event per transport message: rejections, metrology log, faults. */
export type MessageEvent = DatasetRejected | MetrologyLogEntryRecorded | StationFaultReported;

/** Which messages (id and content) such a stream already holds. */
export interface MessageStreamState {
  readonly processed: Map<string, Set<string>>;
}

function fallbackKey(e: MessageEvent): string {
  const text = e.type === 'DatasetRejected' ? e.data.raw : e.type === 'MetrologyLogEntryRecorded' ? `${e.data.signedText}\n${e.data.signature}` : JSON.stringify([e.data.faultId, e.data.state, e.data.at]);
  return createHash('sha256').update(text).digest('hex');
}

const keyOf = (e: MessageEvent) => contentKey(e.data.receipt, fallbackKey(e));

/**
 * One event per message: a message already held (same id, same content) adds nothing; the same id
 * with other content is another message and is recorded.
 */
export const messageStream: Decider<MessageEvent, MessageEvent, MessageStreamState> = {
  initialState: () => ({ processed: new Map() }),
  evolve(state, event) {
    markProcessed(state.processed, event.data.receipt.messageId, keyOf(event));
    return state;
  },
  decide(event, state) {
    return wasProcessed(state.processed, event.data.receipt.messageId, keyOf(event)) ? [] : [event];
  },
};
