import type { DatasetRejected, LedgerRuleViolation, Receipt, VerificationRecord } from '@metrology-ledger/ledger';
import { quoteBounded } from '@metrology-ledger/ledger';
import type { MetrologyLogFailure } from '@metrology-ledger/metrology-log';
import type { OcmfErrorCode } from '@metrology-ledger/ocmf';
import type { ReceivedMessage } from './ReceivedMessage';

/** Codes of the rejections ingest records: its own, libs/ocmf's and the metrology-log verifier's. */
export type RejectionCode =
  | 'too-large'
  | 'bad-message'
  | 'unknown-station'
  | 'unparseable'
  | 'no-pagination'
  | 'invalid-signature'
  | 'ledger-rule'
  | 'not-utf8'
  | 'too-deep'
  | 'internal-error'
  | 'bad-notification'
  | OcmfErrorCode
  | Exclude<MetrologyLogFailure, 'no-key'>;

/** The longest reason recorded; longer text (many contract problems, a library's detail) is cut. */
export const MAX_REASON_CHARS = 1000;
/** Bytes of a message kept when the message itself cannot be (over the size limit, not UTF-8). */
const DEFAULT_EXCERPT_BYTES = 4 * 1024;
/** The most contract problems one reason lists. */
const MAX_PROBLEMS = 8;

/**
 * Why a message is not recorded as what it claims to be, as the ledger keeps it: a code for programs,
 * a reason for a person (what rule it breaks, what to change; text from outside quoted and bounded),
 * the station it is filed under, and for a message over the size limit, that only an excerpt of it is
 * kept. Every rejection of ingest is made by one of the factories below.
 */
export class Rejection {
  readonly reason: string;

  private constructor(
    readonly code: RejectionCode,
    reason: string,
    readonly stationId: string,
    readonly details: { counter?: string; verification?: VerificationRecord; excerptBytes?: number; base64?: boolean } = {},
  ) {
    this.reason = reason.length > MAX_REASON_CHARS ? `${reason.slice(0, MAX_REASON_CHARS)}…(reason cut at ${MAX_REASON_CHARS} characters)` : reason;
  }

  /** Over the size limit: the ledger keeps the first `excerptBytes` bytes, the size and the hash of the whole. */
  static tooLarge(stationId: string, message: ReceivedMessage, maxBytes: number, excerptBytes: number): Rejection {
    const base64 = message.excerpt(excerptBytes) === undefined;
    const kept = base64 ? `its first ${excerptBytes} bytes in base64 (they are not UTF-8 text)` : `its first ${excerptBytes} bytes`;
    return new Rejection(
      'too-large',
      `message is ${message.bytes} bytes; ingest accepts at most ${maxBytes} bytes per message (INGEST_MAX_MESSAGE_BYTES). ` +
        `Kept: ${kept}, its size and the SHA-256 of the whole. One dataset or log entry per message fits well within the limit`,
      stationId,
      { excerptBytes, base64 },
    );
  }

  /** The message's bytes are not valid UTF-8: the ledger keeps the first `excerptBytes` of them in base64, the size and the hash. */
  static notUtf8(stationId: string, message: ReceivedMessage, excerptBytes: number): Rejection {
    return new Rejection(
      'not-utf8',
      `message is not valid UTF-8 text (${message.bytes} bytes): a CSMS publishes one JSON object per message, encoded in UTF-8. ` +
        `Kept: its first ${Math.min(excerptBytes, message.bytes)} bytes in base64, its size and the SHA-256 of the bytes as received`,
      stationId,
      { excerptBytes, base64: true },
    );
  }

  /** The message nests objects and arrays deeper than ingest reads (checked before it is parsed). */
  static tooDeep(stationId: string, limit: number): Rejection {
    return new Rejection(
      'too-deep',
      `message nests objects and arrays more than ${limit} levels deep; ingest reads at most ${limit} levels (the message contracts need 3, an OCPP frame about 8)`,
      stationId,
    );
  }

  /**
   * Ingest failed on the message for a reason that is not the store (a fault in ingest or a library
   * it uses): the message is kept as received, so it neither blocks its partition nor is lost.
   */
  static internalError(stationId: string, error: unknown): Rejection {
    const what = error instanceof Error ? `${error.name}: ${error.message}` : error;
    return new Rejection(
      'internal-error',
      `ingest failed on this message (${quoteBounded(what, 200)}); it is kept as received: report it to the maintainers of services/ingest, the message can be processed again once fixed`,
      stationId,
    );
  }

  static notJson(stationId: string, parserDetail: string): Rejection {
    return new Rejection('bad-message', `message is not JSON (${quoteBounded(parserDetail, 120)}): a CSMS publishes one JSON object per message`, stationId);
  }

  static unknownKind(stationId: string, kind: unknown): Rejection {
    return new Rejection('bad-message', `unknown message kind ${quoteBounded(kind)}: kind must be ocmf-dataset, metrology-log-entry, station-fault or ocpp-frame`, stationId);
  }

  /** The message breaks the message contract (README, "Message schemas"); `problems` name field and rule. */
  static contract(stationId: string, problems: string[]): Rejection {
    const listed = problems.slice(0, MAX_PROBLEMS).join('; ');
    const more = problems.length > MAX_PROBLEMS ? `; and ${problems.length - MAX_PROBLEMS} more` : '';
    return new Rejection('bad-message', `message does not match the contract: ${listed}${more}`, stationId);
  }

  static unknownStation(stationId: string): Rejection {
    return new Rejection(
      'unknown-station',
      `no key is registered for station ${quoteBounded(stationId)}: datasets and log entries are verified with the keys the operator registered for the station`,
      stationId,
    );
  }

  /** The `ocmf` field holds no dataset that can be read (`why` from libs/ocmf, bounded). */
  static unreadableDataset(stationId: string, why: string): Rejection {
    return new Rejection('unparseable', `the ocmf field holds no readable dataset: ${quoteBounded(why, 300)}`, stationId);
  }

  static datasetCount(stationId: string, count: number): Rejection {
    return new Rejection('unparseable', `the ocmf field holds ${count} datasets; a message carries exactly one`, stationId);
  }

  static noPagination(stationId: string, verification: VerificationRecord): Rejection {
    return new Rejection(
      'no-pagination',
      'dataset verifies but has no readable PG (pagination): the ledger orders and places datasets by their pagination counter',
      stationId,
      { verification },
    );
  }

  /** No registered key verified the dataset: libs/ocmf's verdict for the newest key. */
  static datasetNotVerified(stationId: string, code: RejectionCode, verdictReason: string, keysTried: number, verification: VerificationRecord, counter?: string): Rejection {
    const tried = keysTried > 1 ? ` (tried ${keysTried} registered keys)` : '';
    return new Rejection(code, `${verdictReason}${tried}`, stationId, { verification, ...(counter !== undefined ? { counter } : {}) });
  }

  static logEntryNotVerified(stationId: string, code: Exclude<MetrologyLogFailure, 'no-key'>, verifierReason: string, verification?: VerificationRecord): Rejection {
    return new Rejection(code, verifierReason, stationId, verification ? { verification } : {});
  }

  /** The station sent a key with the dataset that is none of its registered keys (never trusted on its own). */
  static keyMismatch(stationId: string, sentFingerprint: string, registeredFingerprints: string[], verification?: VerificationRecord, counter?: string): Rejection {
    return new Rejection(
      'key-mismatch',
      `the station sent public key ${sentFingerprint} with the dataset, but the keys registered for station ${quoteBounded(stationId)} are ${registeredFingerprints.join(', ')} (newest first): ` +
        'a key sent by a station is never trusted on its own. If the meter was replaced, the operator registers its new key; until then its datasets are rejected',
      stationId,
      { ...(verification ? { verification } : {}), ...(counter !== undefined ? { counter } : {}) },
    );
  }

  /** The station sent a key with the dataset that cannot be read as a public key. */
  static unreadableSentKey(stationId: string, why: string): Rejection {
    return new Rejection('bad-key', `the station sent a public key with the dataset that cannot be read (${why}); it cannot be compared with the registered keys`, stationId);
  }

  /** An `ocpp-frame` record whose frameSha256 is not the hash of its frame: altered on the way. */
  static frameHashMismatch(stationId: string, stated: string, computed: string): Rejection {
    return new Rejection('bad-message', `frameSha256 ${quoteBounded(stated, 70)} is not the SHA-256 of the frame (${computed}): the record was altered after the edge wrote it`, stationId);
  }

  /** An `ocpp-frame` record whose frame is not an OCPP-J message. */
  static unreadableFrame(stationId: string, why: string): Rejection {
    return new Rejection('bad-message', `the OCPP frame cannot be read: ${why}`, stationId);
  }

  /** A signed value in an OCPP frame that holds no readable dataset (`where`: its place in the frame). */
  static unreadableSignedValue(stationId: string, action: string, where: string, why: string): Rejection {
    return new Rejection('unparseable', `the signed value at ${where} of the ${quoteBounded(action, 60)} frame holds no readable OCMF dataset: ${quoteBounded(why, 300)}`, stationId);
  }

  /** A station notification (boot, firmware status, security event, log upload) whose payload cannot be recorded as station history. */
  static unusableNotification(stationId: string, action: string, why: string): Rejection {
    return new Rejection('bad-notification', `the ${quoteBounded(action, 60)} notification cannot be recorded as station history: ${why}`, stationId);
  }

  /** The ledger refused the record (a rule of its own, e.g. a counter of more than 200 digits). */
  static ledgerRule(stationId: string, violation: LedgerRuleViolation, verification?: VerificationRecord): Rejection {
    return new Rejection('ledger-rule', `the ledger refuses it (rule ${violation.rule}): ${violation.message}`, stationId, verification ? { verification } : {});
  }

  /** The ledger's DatasetRejected data for this rejection of `message`. */
  toRecord(message: ReceivedMessage, receipt: Receipt): DatasetRejected['data'] {
    const text = message.text;
    const record: DatasetRejected['data'] = { stationId: this.stationId, reason: this.reason, code: this.code, raw: text ?? '', receipt };
    if (this.details.counter !== undefined) record.counter = this.details.counter;
    if (this.details.verification) record.verification = this.details.verification;
    const excerptBytes = this.details.excerptBytes ?? (text === undefined ? DEFAULT_EXCERPT_BYTES : undefined);
    if (excerptBytes !== undefined) {
      const excerpt = this.details.base64 || text === undefined ? undefined : message.excerpt(excerptBytes);
      record.raw = excerpt ?? message.base64Excerpt(excerptBytes);
      record.rawTruncated = true;
      record.rawBytes = message.bytes;
      record.rawSha256 = message.sha256;
    }
    return record;
  }
}
