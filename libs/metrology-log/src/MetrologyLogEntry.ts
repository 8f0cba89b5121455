import type { MetrologyLogEvent } from './MetrologyLogEvent';

/** The one signature algorithm of the metrology log: ECDSA over P-384 with SHA-256, DER, base64. */
export const METROLOGY_LOG_ALGORITHM = 'ECDSA-secp384r1-SHA256';

/** Metadata as the manual shows it: a JSON object, a plain text (FirmwareInstalled), or nothing. */
export type MetrologyLogMetadata = Record<string, unknown> | string | null;

/** What an entry says: the fields that are signed, in the order they are signed. */
export interface MetrologyLogFields {
  stationId: string;
  /** The log's own sequence number, from 1, never reused. */
  seq: number;
  /** Station time, UTC, ISO 8601 to the second (as the station displays it). */
  time: string;
  event: MetrologyLogEvent;
  metadata: MetrologyLogMetadata;
}

/** An entry as it travels: the exact text that was signed and its signature. */
export interface SignedMetrologyLogEntry {
  /** The exact JSON that was signed (see `metrologyLogSignedText`). */
  signedText: string;
  /** ECDSA-secp384r1-SHA256 over `signedText` (UTF-8), DER, base64. */
  signature: string;
  algorithm: typeof METROLOGY_LOG_ALGORITHM;
}

/** One signed entry with its fields shown beside the signed text, as the station keeps it. */
export interface MetrologyLogEntry extends MetrologyLogFields, SignedMetrologyLogEntry {}
