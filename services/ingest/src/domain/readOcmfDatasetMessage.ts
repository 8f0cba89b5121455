import { isISO8601 } from 'class-validator';
import { isStationId } from '@metrology-ledger/ledger';
import type { OcmfDatasetMessageDto } from './IngestMessages';

/** The fields of a dataset message ingest reads, as OcmfDatasetMessageDto declares them. */
export type OcmfDatasetMessage = Pick<OcmfDatasetMessageDto, 'kind' | 'messageId' | 'stationId' | 'connector' | 'transactionId' | 'emspId' | 'ocmf' | 'sentAt'>;

/**
 * The parsed message as an OcmfDatasetMessage when it certainly keeps OcmfDatasetMessageDto's
 * contract; `undefined` when it may not. Each check is the DTO's rule or a stricter one (a length in
 * UTF-16 code units, never more than class-validator's count of characters), so nothing passes here
 * that class-validator would refuse; what does not pass goes to class-validator, which decides and
 * names the problems. It spares the messages that keep the contract (nearly all) the per-message
 * reflection of class-transformer and class-validator.
 */
export function readOcmfDatasetMessage(json: unknown): OcmfDatasetMessage | undefined {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) return undefined;
  const m = json as Record<string, unknown>;
  if (m.kind !== 'ocmf-dataset') return undefined;
  if (!text(m.messageId, 200) || !isStationId(m.stationId) || !text(m.ocmf, 256 * 1024)) return undefined;
  if (m.connector != null && !(typeof m.connector === 'number' && Number.isInteger(m.connector) && m.connector >= 0)) return undefined;
  if (m.transactionId != null && !(typeof m.transactionId === 'string' && m.transactionId.length <= 100)) return undefined;
  if (m.emspId != null && !(typeof m.emspId === 'string' && m.emspId.length <= 100)) return undefined;
  if (m.sentAt != null && !isISO8601(m.sentAt)) return undefined;
  return m as unknown as OcmfDatasetMessage;
}

/** A non-empty string of at most `max` UTF-16 code units. */
function text(v: unknown, max: number): v is string {
  return typeof v === 'string' && v.length > 0 && v.length <= max;
}
