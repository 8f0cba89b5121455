import { createHash } from 'node:crypto';
import type { OcppVersion } from './OcppVersion';
import type { SecurityProfile } from './SecurityProfile';

/**
 * One OCPP-J frame as the edge hands it to the ledger (Kafka topic `ocpp-frames`, key = identity).
 * `frame` is the WebSocket message text exactly as received (or, for an answer the edge made itself
 * in standalone mode, exactly as sent). `messageId` is the same for a resend of the same OCPP
 * message, so a reader recognises it; `frameSha256` tells whether the resent text is the same.
 */
export interface OcppFrameRecord {
  kind: 'ocpp-frame';
  /** `${identity}:${ocppMessageId}` for a CALL, `${identity}:${ocppMessageId}:result` for its CALLRESULT. */
  messageId: string;
  identity: string;
  ocppVersion: OcppVersion;
  securityProfile: SecurityProfile;
  /** SHA-256 (hex) of the station's client certificate (DER), under security profile 3. */
  clientCertSha256?: string;
  /** When the edge received the frame (ISO 8601, UTC). Transport time only. */
  receivedAt: string;
  edgeInstance: string;
  /** `CALL` from the station; `CALLRESULT` for the answer to a 1.6 StartTransaction (transactionId). */
  messageType: 'CALL' | 'CALLRESULT';
  /** The OCPP action (for a CALLRESULT: the action of the CALL it answers). */
  action: string;
  /** The message id inside the frame. */
  ocppMessageId: string;
  frame: string;
  /** SHA-256 (hex) of the frame's UTF-8 bytes. */
  frameSha256: string;
}

/** Who sent the frame over which connection: fixed for a connection's lifetime. */
export interface FrameOrigin {
  identity: string;
  ocppVersion: OcppVersion;
  securityProfile: SecurityProfile;
  clientCertSha256?: string;
  edgeInstance: string;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function frameRecord(
  origin: FrameOrigin,
  frame: { messageType: 'CALL' | 'CALLRESULT'; ocppMessageId: string; action: string; text: string; receivedAt: Date },
): OcppFrameRecord {
  const record: OcppFrameRecord = {
    kind: 'ocpp-frame',
    messageId: `${origin.identity}:${frame.ocppMessageId}${frame.messageType === 'CALLRESULT' ? ':result' : ''}`,
    identity: origin.identity,
    ocppVersion: origin.ocppVersion,
    securityProfile: origin.securityProfile,
    receivedAt: frame.receivedAt.toISOString(),
    edgeInstance: origin.edgeInstance,
    messageType: frame.messageType,
    action: frame.action,
    ocppMessageId: frame.ocppMessageId,
    frame: frame.text,
    frameSha256: sha256Hex(frame.text),
  };
  if (origin.clientCertSha256 !== undefined) record.clientCertSha256 = origin.clientCertSha256;
  return record;
}
