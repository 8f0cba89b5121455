import type { LedgerEvent, UnreadableEvent } from '@metrology-ledger/ledger';
import type { SessionToken } from './SessionView';

/** A token of the registry as the read model holds it (the latest event of its uid). */
export interface RegisteredTokenView {
  uid: string;
  tokenType: string;
  contractId: string | null;
  emspId: string;
  status: 'registered' | 'withdrawn';
  changedBy: string;
  changedAt: string;
}

/**
 * The token a transaction fact names for its transaction, if it names one: a 1.6 StartTransaction
 * linked to its answer (`transactionId` on the CALL, or `idTag` on the answer), a 1.6 StopTransaction
 * idTag, a 2.0.1 TransactionEvent idToken (with its type). The first one recorded for a transaction is
 * its token (the one that started it); the read model keeps that one.
 */
export function transactionTokenOf(event: LedgerEvent | UnreadableEvent): { stationId: string; transactionId: string; token: SessionToken } | undefined {
  const ocpp = (stationId: unknown, transactionId: unknown, uid: unknown, type: unknown = null) =>
    typeof stationId === 'string' && typeof transactionId === 'string' && typeof uid === 'string' && uid !== ''
      ? { stationId, transactionId, token: { uid, type: typeof type === 'string' ? type : null, source: 'ocpp' as const } }
      : undefined;
  switch (event.type) {
    case 'OcppTransactionStarted':
    case 'OcppTransactionIdAssigned':
    case 'OcppTransactionStopped':
      return ocpp(event.data.stationId, event.data.transactionId, event.data.idTag);
    case 'OcppTransactionEventRecorded':
      return ocpp(event.data.stationId, event.data.transactionId, event.data.idToken?.idToken, event.data.idToken?.type);
    default:
      return undefined;
  }
}

/**
 * A registry event as the read model keeps it; undefined for anything else. A withdrawal keeps the
 * type and contract id of the registration it ends (`previous`).
 */
export function registryChangeOf(event: LedgerEvent | UnreadableEvent, previous?: RegisteredTokenView): RegisteredTokenView | undefined {
  if (event.type === 'TokenRegistered') {
    const d = event.data;
    return { uid: d.uid, tokenType: d.tokenType, contractId: d.contractId ?? null, emspId: d.emspId, status: 'registered', changedBy: d.registeredBy, changedAt: d.registeredAt };
  }
  if (event.type === 'TokenWithdrawn') {
    const d = event.data;
    return { uid: d.uid, tokenType: previous?.tokenType ?? '', contractId: previous?.contractId ?? null, emspId: d.emspId, status: 'withdrawn', changedBy: d.withdrawnBy, changedAt: d.withdrawnAt };
  }
  return undefined;
}
