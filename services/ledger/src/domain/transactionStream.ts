import type { Decider } from './Decider';
import { DigestSet } from './DigestSet';
import { contentKey, markProcessed, wasProcessed } from './datasetStream';
import type { OcppTransactionFact } from './LedgerEvent';
import { LedgerRuleViolation, quoteBounded } from './LedgerRuleViolation';
import { CounterRangeSet } from './CounterRangeSet';
import type { CounterRange } from './missingRanges';
import { assertStationId } from './StationId';

/**
 * What a station's transaction stream knows: which messages it holds (id and content), the token of
 * each 1.6 StartTransaction and the transactionId of each answer by OCPP message id (to link the two,
 * in whichever order they come), and the 2.0.1 seqNos seen per transaction.
 */
export interface TransactionStreamState {
  readonly processed: DigestSet;
  readonly startTokens: Map<string, string>;
  readonly assignedIds: Map<string, string>;
  readonly seqNos: Map<string, CounterRangeSet>;
}

/** OCPP 2.0.1 bounds: identifiers (idToken, transactionId) are at most 36 characters; 1.6 idTag 20. */
export const MAX_OCPP_ID_CHARS = 36;
/** The most digits a seqNo may have (2^64 has 20). */
export const MAX_SEQNO_DIGITS = 20;

function assertId(field: string, value: unknown): void {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_OCPP_ID_CHARS) {
    throw new LedgerRuleViolation('ocpp-id', `${field} is text of 1-${MAX_OCPP_ID_CHARS} characters (OCPP 2.0.1 identifiers); got ${quoteBounded(value)}`);
  }
}

function assertFact(f: OcppTransactionFact): void {
  assertStationId(f.data.stationId);
  switch (f.type) {
    case 'OcppTransactionStarted':
      assertId('ocppMessageId', f.data.ocppMessageId);
      assertId('idTag', f.data.idTag);
      return;
    case 'OcppTransactionIdAssigned':
      assertId('ocppMessageId', f.data.ocppMessageId);
      assertId('transactionId', f.data.transactionId);
      return;
    case 'OcppTransactionStopped':
      assertId('transactionId', f.data.transactionId);
      if (f.data.idTag !== undefined) assertId('idTag', f.data.idTag);
      return;
    case 'OcppTransactionEventRecorded':
      assertId('transactionId', f.data.transactionId);
      if (f.data.idToken !== undefined) assertId('idToken', f.data.idToken.idToken);
      if (!/^\d+$/.test(f.data.seqNo) || f.data.seqNo.length > MAX_SEQNO_DIGITS) {
        throw new LedgerRuleViolation('seq-no', `seqNo is a non-negative integer of at most ${MAX_SEQNO_DIGITS} digits; got ${quoteBounded(f.data.seqNo)}`);
      }
  }
}

/**
 * The OCPP transaction facts of one station, one event per frame: a frame already held (same message
 * id, same content) adds nothing. A 1.6 StartTransaction CALL and its CALLRESULT share the OCPP message
 * id; whichever is recorded second carries the link (the answer gets the CALL's idTag, a late CALL
 * the answer's transactionId), so a reader needs no state to know who started a transaction.
 */
export const transactionStream: Decider<OcppTransactionFact, OcppTransactionFact, TransactionStreamState> = {
  initialState: () => ({ processed: new DigestSet(), startTokens: new Map(), assignedIds: new Map(), seqNos: new Map() }),
  evolve(state, event) {
    markProcessed(state.processed, event.data.receipt.messageId, contentKey(event.data.receipt, ''));
    if (event.type === 'OcppTransactionStarted') state.startTokens.set(event.data.ocppMessageId, event.data.idTag);
    if (event.type === 'OcppTransactionIdAssigned') state.assignedIds.set(event.data.ocppMessageId, event.data.transactionId);
    if (event.type === 'OcppTransactionEventRecorded' && /^\d+$/.test(event.data.seqNo)) {
      let seen = state.seqNos.get(event.data.transactionId);
      if (!seen) state.seqNos.set(event.data.transactionId, (seen = new CounterRangeSet()));
      seen.add(BigInt(event.data.seqNo));
    }
    return state;
  },
  decide(fact, state) {
    assertFact(fact);
    if (wasProcessed(state.processed, fact.data.receipt.messageId, contentKey(fact.data.receipt, ''))) return [];
    if (fact.type === 'OcppTransactionStarted') {
      const assigned = state.assignedIds.get(fact.data.ocppMessageId);
      return [assigned === undefined ? fact : { ...fact, data: { ...fact.data, transactionId: assigned } }];
    }
    if (fact.type === 'OcppTransactionIdAssigned') {
      const idTag = state.startTokens.get(fact.data.ocppMessageId);
      return [idTag === undefined ? fact : { ...fact, data: { ...fact.data, idTag } }];
    }
    return [fact];
  },
};

/** The seqNos of one 2.0.1 transaction that never arrived: from 0 to the highest seen. */
export interface SeqNoGaps {
  transactionId: string;
  lowestSeqNo: string;
  highestSeqNo: string;
  /** Missing seqNos as inclusive ranges. */
  gaps: CounterRange[];
}

/**
 * Per transaction, the seqNos missing between 0 and the highest seen (OCPP 2.0.1 counts a
 * transaction's messages from 0). Work follows the number of held ranges of seqNos, never a seqNo's value (a seqNo of 2^53 is one
 * range).
 */
export function seqNoGaps(state: Pick<TransactionStreamState, 'seqNos'>): SeqNoGaps[] {
  const out: SeqNoGaps[] = [];
  for (const [transactionId, seen] of state.seqNos) {
    out.push({ transactionId, lowestSeqNo: String(seen.lowest ?? 0n), highestSeqNo: String(seen.highest ?? 0n), gaps: seen.missing(0n) });
  }
  return out.sort((a, b) => (a.transactionId < b.transactionId ? -1 : a.transactionId > b.transactionId ? 1 : 0));
}
