import type { OcppTransactionFact, Receipt } from '@metrology-ledger/ledger';
import { quoteBounded } from '@metrology-ledger/ledger';

/** The record fields a transaction fact is read with (an `ocpp-frame` record of services/ocpp-edge). */
export interface FrameHead {
  identity: string;
  ocppVersion: '1.6' | '2.0.1';
  messageType: 'CALL' | 'CALLRESULT';
  /** The action (for a CALLRESULT: of the CALL it answers). */
  action: string;
  ocppMessageId: string;
}

/** The fact of a transaction frame; `undefined` for a frame that carries none (MeterValues, BootNotification, …). */
export type TransactionFactRead = { ok: true; fact: OcppTransactionFact } | { ok: false; reason: string } | undefined;

/**
 * Who started which transaction, as the station and the back end say it: 1.6 StartTransaction (idTag,
 * connector, meterStart, timestamp) and its CALLRESULT (transactionId, idTagInfo.status), 1.6
 * StopTransaction (transactionId, idTag), 2.0.1 TransactionEvent (transactionId, eventType, seqNo,
 * triggerReason, idToken). Fields of the wrong type are a reason, never a guess; the ledger checks
 * the bounds of what is read here.
 */
export function readTransactionFact(head: FrameHead, payload: Record<string, unknown>, receipt: Receipt): TransactionFactRead {
  const stationId = head.identity;
  const problem = (what: string) => ({ ok: false as const, reason: `the ${head.messageType === 'CALLRESULT' ? 'answer to the ' : ''}${head.action} frame ${what}` });
  if (head.ocppVersion === '1.6' && head.action === 'StartTransaction' && head.messageType === 'CALL') {
    const { idTag, connectorId, meterStart, timestamp } = payload;
    if (typeof idTag !== 'string') return problem(`has no idTag text (got ${quoteBounded(idTag)})`);
    if (!Number.isInteger(connectorId) || !Number.isInteger(meterStart) || typeof timestamp !== 'string') return problem('lacks an integer connectorId or meterStart, or a timestamp');
    return { ok: true, fact: { type: 'OcppTransactionStarted', data: { stationId, ocppMessageId: head.ocppMessageId, idTag, connector: connectorId as number, meterStart: meterStart as number, timestamp, receipt } } };
  }
  if (head.ocppVersion === '1.6' && head.action === 'StartTransaction' && head.messageType === 'CALLRESULT') {
    const { transactionId, idTagInfo } = payload;
    const status = isObject(idTagInfo) ? idTagInfo.status : undefined;
    if (!Number.isInteger(transactionId) || typeof status !== 'string') return problem('lacks an integer transactionId or idTagInfo.status');
    return { ok: true, fact: { type: 'OcppTransactionIdAssigned', data: { stationId, ocppMessageId: head.ocppMessageId, transactionId: String(transactionId), idTagStatus: status, receipt } } };
  }
  if (head.ocppVersion === '1.6' && head.action === 'StopTransaction' && head.messageType === 'CALL') {
    const { transactionId, idTag, meterStop, timestamp, reason } = payload;
    if (!Number.isInteger(transactionId)) return problem('lacks an integer transactionId');
    if (idTag !== undefined && typeof idTag !== 'string') return problem(`has an idTag that is not text (got ${quoteBounded(idTag)})`);
    const data: Extract<OcppTransactionFact, { type: 'OcppTransactionStopped' }>['data'] = { stationId, transactionId: String(transactionId), receipt };
    if (typeof idTag === 'string') data.idTag = idTag;
    if (Number.isInteger(meterStop)) data.meterStop = meterStop as number;
    if (typeof timestamp === 'string') data.timestamp = timestamp;
    if (typeof reason === 'string') data.reason = reason;
    return { ok: true, fact: { type: 'OcppTransactionStopped', data } };
  }
  if (head.ocppVersion === '2.0.1' && head.action === 'TransactionEvent' && head.messageType === 'CALL') {
    const { transactionInfo, eventType, seqNo, triggerReason, timestamp, idToken } = payload;
    const transactionId = isObject(transactionInfo) ? transactionInfo.transactionId : undefined;
    if (typeof transactionId !== 'string') return problem('has no transactionInfo.transactionId text');
    if (typeof seqNo !== 'number' || !Number.isInteger(seqNo) || seqNo < 0) return problem(`has no seqNo that is a non-negative integer (got ${quoteBounded(seqNo)})`);
    if (typeof eventType !== 'string' || typeof triggerReason !== 'string' || typeof timestamp !== 'string') return problem('lacks eventType, triggerReason or timestamp text');
    const data: Extract<OcppTransactionFact, { type: 'OcppTransactionEventRecorded' }>['data'] = { stationId, transactionId, eventType, seqNo: BigInt(seqNo).toString(), triggerReason, timestamp, receipt };
    if (idToken !== undefined) {
      if (!isObject(idToken) || typeof idToken.idToken !== 'string' || typeof idToken.type !== 'string') return problem('has an idToken without idToken and type text');
      // 2.0.1 sends an empty idToken with type NoAuthorization (free charging): no token to keep.
      if (idToken.idToken !== '') data.idToken = { idToken: idToken.idToken, type: idToken.type };
    }
    return { ok: true, fact: { type: 'OcppTransactionEventRecorded', data } };
  }
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
