import { createHash } from 'node:crypto';
import type { Decider } from './Decider';
import { DigestSet } from './DigestSet';
import { contentKey, markProcessed, wasProcessed } from './datasetStream';
import type { DatasetRejected, MetrologyLogEntryRecorded, StationFaultReported } from './LedgerEvent';

/** Events of the streams that hold one event per transport message: rejections, metrology log, faults. */
export type MessageEvent = DatasetRejected | MetrologyLogEntryRecorded | StationFaultReported;

/** Which messages (id and content) such a stream already holds; for a metrology log, which signed text each seq holds. */
export interface MessageStreamState {
  readonly processed: DigestSet;
  /** seq → the entries held under it: SHA-256 of the signed text, and the first message id of each text. */
  readonly logSeqs: Map<number, { textSha256: string; messageId: string }[]>;
}

function fallbackKey(e: MessageEvent): string {
  const text = e.type === 'DatasetRejected' ? e.data.raw : e.type === 'MetrologyLogEntryRecorded' ? `${e.data.signedText}\n${e.data.signature}` : JSON.stringify([e.data.faultId, e.data.state, e.data.at]);
  return createHash('sha256').update(text).digest('hex');
}

const keyOf = (e: MessageEvent) => contentKey(e.data.receipt, fallbackKey(e));

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/**
 * One event per message: a message already held (same id, same content) adds nothing; the same id
 * with other content is another message and is recorded. A metrology-log entry is also judged by its
 * seq (work proportional to the entries held under that seq): the same signed text again under
 * another message id is recorded with `repeatOf`, another signed text under a seq already held with
 * `seqConflictWith`. Those two fields are the ledger's alone: whatever a caller put there is replaced.
 */
export const messageStream: Decider<MessageEvent, MessageEvent, MessageStreamState> = {
  initialState: () => ({ processed: new DigestSet(), logSeqs: new Map() }),
  evolve(state, event) {
    markProcessed(state.processed, event.data.receipt.messageId, keyOf(event));
    if (event.type === 'MetrologyLogEntryRecorded' && Number.isSafeInteger(event.data.seq)) {
      const held = state.logSeqs.get(event.data.seq) ?? [];
      const textSha256 = sha256(event.data.signedText);
      if (!held.some((h) => h.textSha256 === textSha256)) held.push({ textSha256, messageId: event.data.receipt.messageId });
      state.logSeqs.set(event.data.seq, held);
    }
    return state;
  },
  decide(event, state) {
    if (wasProcessed(state.processed, event.data.receipt.messageId, keyOf(event))) return [];
    if (event.type !== 'MetrologyLogEntryRecorded') return [event];
    const { repeatOf: _r, seqConflictWith: _c, ...data } = event.data;
    const held = state.logSeqs.get(data.seq) ?? [];
    const textSha256 = sha256(data.signedText);
    const same = held.find((h) => h.textSha256 === textSha256);
    const others = held.filter((h) => h.textSha256 !== textSha256).map((h) => h.messageId);
    return [{ type: 'MetrologyLogEntryRecorded', data: { ...data, ...(same ? { repeatOf: same.messageId } : {}), ...(others.length > 0 ? { seqConflictWith: others } : {}) } }];
  },
};
