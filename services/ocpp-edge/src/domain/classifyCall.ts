import type { OcppVersion } from './OcppVersion';

/**
 * Where a station's CALL goes besides its answer: `ledger` = into Kafka before it is answered or
 * forwarded (metering data and the station's metrology and firmware history); `edge` = answered or
 * forwarded only (heartbeats, status, everything else).
 */
export type CallDisposition = 'ledger' | 'edge';

const LEDGER_CALLS: Record<OcppVersion, ReadonlySet<string>> = {
  '1.6': new Set([
    'MeterValues',
    'StartTransaction',
    'StopTransaction',
    'BootNotification',
    'FirmwareStatusNotification',
    'SignedFirmwareStatusNotification',
    'SecurityEventNotification',
    'LogStatusNotification',
    'DiagnosticsStatusNotification',
  ]),
  '2.0.1': new Set(['TransactionEvent', 'MeterValues', 'BootNotification', 'FirmwareStatusNotification', 'SecurityEventNotification', 'LogStatusNotification']),
};

/** The actions whose CALL goes to Kafka, per version (for the README and tests). */
export function ledgerActions(version: OcppVersion): string[] {
  return [...LEDGER_CALLS[version]];
}

export function classifyCall(version: OcppVersion, action: string): CallDisposition {
  return LEDGER_CALLS[version].has(action) ? 'ledger' : 'edge';
}

/**
 * Whether the answer to this CALL goes to Kafka too. Only 1.6 StartTransaction: its CALLRESULT holds
 * the transactionId the back end assigned, and 1.6 MeterValues and StopTransaction name the
 * transaction by that id alone, so without it a session's readings cannot be tied to its idTag.
 */
export function answerIsRecorded(version: OcppVersion, action: string): boolean {
  return version === '1.6' && action === 'StartTransaction';
}
