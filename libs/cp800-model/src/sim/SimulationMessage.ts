import type { MetrologyLogEntry } from '../log/MetrologyLogEntry';

/**
 * What a station publishes. These are the message schemas a CSMS publishes into the ledger
 * (Kafka topics `ocmf-datasets`, keyed by stationId, and `metrology-log`).
 */
export interface OcmfDatasetMessage {
  kind: 'ocmf-dataset';
  messageId: string;
  stationId: string;
  connector: number;
  transactionId: string;
  /** The eMSP the session belongs to. */
  emspId: string;
  /** The OCMF dataset exactly as signed (raw string). */
  ocmf: string;
  /** When the station sent it, ISO 8601 UTC (transport time; never used to order readings). */
  sentAt: string;
}

/**
 * A metrology-log entry as sent: the signed text (JSON of stationId, seq, time, event, metadata) and
 * its signature. The fields are read from the signed text, so what is shown is what was signed.
 */
export interface MetrologyLogMessage {
  kind: 'metrology-log-entry';
  messageId: string;
  stationId: string;
  entry: Pick<MetrologyLogEntry, 'signedText' | 'signature' | 'algorithm'>;
  sentAt: string;
}

export interface StationFaultMessage {
  kind: 'station-fault';
  messageId: string;
  stationId: string;
  faultId: string;
  severity: 'Minor' | 'Major' | 'Critical';
  hostMessage: string;
  state: 'raised' | 'cleared';
  at: string;
  sentAt: string;
}

export type SimulationMessage = OcmfDatasetMessage | MetrologyLogMessage | StationFaultMessage;
