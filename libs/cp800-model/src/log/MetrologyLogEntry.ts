import { createPublicKey, verify } from 'node:crypto';

/** Every event of the manual's metrology-log table ("Entrées possibles du journal"). */
export const METROLOGY_LOG_EVENTS = [
  'EichrechtServiceStarted',
  'EichrechtServiceStopped',
  'MeterTestPassed',
  'MeterTestFailed',
  'MeterDataCorrupt',
  'ClockSync',
  'ClockUnsync',
  'ClockChanged',
  'FirmwareUpdateRequested',
  'FirmwareDownloaded',
  'FirmwareDownloadFailed',
  'FirmwareInstalled',
  'FirmwareInstallFailed',
  'ChargingStarted',
  'ChargingSuspended',
  'ChargingResumed',
  'ChargingStopped',
  'SigningKeyInvalid',
  'MeterReplaced',
  'StationActivated',
] as const;
export type MetrologyLogEvent = (typeof METROLOGY_LOG_EVENTS)[number];

/** Metadata as the manual shows it: a JSON object, a plain text (FirmwareInstalled), or nothing. */
export type MetrologyLogMetadata = Record<string, unknown> | string | null;

/**
 * One signed entry. `signedText` is the exact JSON that was signed (stationId, seq, time, event,
 * metadata); `signature` is ECDSA-secp384r1-SHA256 over it, DER, base64.
 */
export interface MetrologyLogEntry {
  stationId: string;
  /** The log's own sequence number, from 1, never reused. */
  seq: number;
  /** Station time, UTC, ISO 8601 to the second (as the station displays it). */
  time: string;
  event: MetrologyLogEvent;
  metadata: MetrologyLogMetadata;
  signedText: string;
  signature: string;
  algorithm: 'ECDSA-secp384r1-SHA256';
}

export function metrologyLogSignedText(e: Pick<MetrologyLogEntry, 'stationId' | 'seq' | 'time' | 'event' | 'metadata'>): string {
  return JSON.stringify({ stationId: e.stationId, seq: e.seq, time: e.time, event: e.event, metadata: e.metadata });
}

/**
 * Checks an entry: the signature over `signedText` with the station key, and that the fields shown
 * are the ones signed.
 */
export function verifyMetrologyLogEntry(entry: MetrologyLogEntry, publicKeySpkiHex: string): { ok: boolean; reason: string } {
  if (metrologyLogSignedText(entry) !== entry.signedText) return { ok: false, reason: 'fields differ from the signed text' };
  try {
    const key = createPublicKey({ key: Buffer.from(publicKeySpkiHex, 'hex'), format: 'der', type: 'spki' });
    const ok = verify('sha256', Buffer.from(entry.signedText, 'utf8'), key, Buffer.from(entry.signature, 'base64'));
    return ok ? { ok, reason: 'signature matches' } : { ok, reason: 'signature does not match' };
  } catch (e) {
    return { ok: false, reason: `cannot verify: ${(e as Error).message}` };
  }
}
