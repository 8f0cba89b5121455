/**
 * The ledger's events: past-tense facts, one explicit type each. Data is plain JSON; counters are
 * decimal text (exact at any size). Nothing is ever deleted: a correction is a new event.
 */

/** Who checked a signature, with what, and what came out. */
export interface VerificationRecord {
  verdict: 'valid' | 'invalid' | 'error';
  reason: string;
  /** SPKI hex of the key used (when one was). */
  keyId?: string;
  algorithm?: string;
  /** Implementation and version that produced the verdict, e.g. `libs/ocmf 0.1.0 / node:crypto (OpenSSL 3.0.19)`. */
  verifier: string;
  verifiedAt: string;
}

/** Where a record came from: the transport message, kept for audit and idempotency. */
export interface Receipt {
  messageId: string;
  receivedAt: string;
  /** Transport position, e.g. `kafka:ocmf-datasets/0@1234`, or `embedded`. */
  source: string;
  /**
   * SHA-256 (hex) of the whole message as received. With the message id it says whether a delivery
   * is a redelivery (same id, same content: skipped) or another message reusing an id (recorded).
   */
  messageSha256?: string;
}

export interface StationKeyRegistered {
  type: 'StationKeyRegistered';
  data: { stationId: string; publicKey: string; validFrom: string; validTo?: string; registeredAt: string };
}

export interface DatasetRecorded {
  type: 'DatasetRecorded';
  data: {
    stationId: string;
    publicKey: string;
    paginationContext: string;
    counter: string;
    pagination: string;
    transactionId?: string;
    connector?: number;
    emspId?: string;
    /** The dataset exactly as received. */
    ocmf: string;
    payloadSha256: string;
    verification: VerificationRecord;
    receipt: Receipt;
  };
}

/** Counters from..to (inclusive) are missing: later counters arrived first. */
export interface GapOpened {
  type: 'GapOpened';
  data: { stationId: string; publicKey: string; from: string; to: string; detectedBy: string };
}

/** A counter that was missing has arrived. */
export interface GapClosed {
  type: 'GapClosed';
  data: { stationId: string; publicKey: string; counter: string; messageId: string };
}

/** Same counter, same bytes as a dataset already recorded. */
export interface DuplicateReceived {
  type: 'DuplicateReceived';
  data: { stationId: string; publicKey: string; counter: string; payloadSha256: string; receipt: Receipt };
}

/** Same counter, different bytes, validly signed: both are kept, this one flagged. */
export interface ConflictReceived {
  type: 'ConflictReceived';
  data: {
    stationId: string;
    publicKey: string;
    counter: string;
    ocmf: string;
    payloadSha256: string;
    /** Hashes of the datasets already held for this counter. */
    conflictsWith: string[];
    transactionId?: string;
    connector?: number;
    emspId?: string;
    verification: VerificationRecord;
    receipt: Receipt;
  };
}

/** Received but not recorded as a dataset: the message verbatim and why. */
export interface DatasetRejected {
  type: 'DatasetRejected';
  data: {
    stationId: string;
    reason: string;
    /** `invalid-signature`, `unknown-station`, `unparseable`, `bad-message`, an OCMF error code… */
    code: string;
    counter?: string;
    /**
     * The message exactly as received, or, for a message over the size limit, its first bytes (the
     * excerpt) with `rawTruncated` set and `rawSha256`/`rawBytes` describing the whole.
     */
    raw: string;
    rawTruncated?: boolean;
    rawBytes?: number;
    rawSha256?: string;
    verification?: VerificationRecord;
    receipt: Receipt;
  };
}

export interface MetrologyLogEntryRecorded {
  type: 'MetrologyLogEntryRecorded';
  data: {
    stationId: string;
    seq: number;
    time: string;
    event: string;
    signedText: string;
    signature: string;
    verification: VerificationRecord;
    receipt: Receipt;
    /**
     * Set by the ledger: the message id of the first record of this same signed entry (same seq, same
     * signed text) under another message id: a resend, kept and marked, never counted as a second entry.
     */
    repeatOf?: string;
    /**
     * Set by the ledger: the message ids of the entries already held under this seq with another
     * signed text. A station numbers its log entries once; two texts for one seq is a conflict, both kept.
     */
    seqConflictWith?: string[];
  };
}

/** A fault the station reported to the host (catalogue id, severity, raised or cleared). */
export interface StationFaultReported {
  type: 'StationFaultReported';
  data: { stationId: string; faultId: string; severity: string; hostMessage: string; state: string; at: string; receipt: Receipt };
}

/** The operator's record of a station's commissioning and notifications (latest record wins). */
export interface StationCommissioningRecorded {
  type: 'StationCommissioningRecorded';
  data: {
    stationId: string;
    commissionedAt: string;
    decommissionedAt?: string;
    authorityNotifiedAt?: string;
    bnetzaNotifiedAt?: string;
    bnetzaDecommissionNotifiedAt?: string;
    recordedAt: string;
  };
}

/**
 * What a station reported of itself over OCPP (services/ocpp-edge), one event per notification, in
 * the order the ledger received them. `receipt.messageSha256` is the SHA-256 of the OCPP frame as the
 * station sent it, `receipt.source` the Kafka position of the edge's record.
 */
interface StationReport {
  stationId: string;
  ocppVersion: '1.6' | '2.0.1';
  /** The OCPP action as the station sent it (e.g. 1.6 SignedFirmwareStatusNotification). */
  action: string;
  receipt: Receipt;
}

/** A BootNotification: what the station says it is and runs. */
export interface StationBootReported {
  type: 'StationBootReported';
  data: StationReport & {
    vendor: string;
    model: string;
    firmwareVersion?: string;
    serialNumber?: string;
    /** 1.6 only. */
    meterType?: string;
    meterSerialNumber?: string;
    /** 2.0.1 only: why the station booted (PowerUp, FirmwareUpdate, …). */
    reason?: string;
    /**
     * Set by the ledger when this boot reports another firmware version than the last boot that
     * reported one (in the order the ledger received them): the version before.
     */
    previousFirmwareVersion?: string;
  };
}

/** A FirmwareStatusNotification (1.6 also SignedFirmwareStatusNotification): one step of a firmware update. */
export interface FirmwareStatusReported {
  type: 'FirmwareStatusReported';
  data: StationReport & { status: string; requestId?: number };
}

/** A SecurityEventNotification: `eventType` from OCPP's security events list (SettingSystemTime, FirmwareUpdated, …) or the station's own. */
export interface SecurityEventReported {
  type: 'SecurityEventReported';
  data: StationReport & { eventType: string; timestamp: string; techInfo?: string };
}

/** A LogStatusNotification or 1.6 DiagnosticsStatusNotification: progress of a log upload. */
export interface LogUploadStatusReported {
  type: 'LogUploadStatusReported';
  data: StationReport & { status: string; requestId?: number };
}

export type StationHistoryEvent = StationBootReported | FirmwareStatusReported | SecurityEventReported | LogUploadStatusReported;

/** An OCPP token as the station sent it: 1.6 `idTag` (no type), 2.0.1 `idToken` with its type. */
export interface OcppToken {
  idToken: string;
  /** 2.0.1 IdTokenEnumType (`ISO14443`, `eMAID`, …); absent for 1.6. */
  type?: string;
}

/**
 * A 1.6 StartTransaction CALL: the token, connector and meter start as the station claims them.
 * `transactionId` is set when the back end's answer (its CALLRESULT) was recorded first.
 */
export interface OcppTransactionStarted {
  type: 'OcppTransactionStarted';
  data: { stationId: string; ocppMessageId: string; idTag: string; connector: number; meterStart: number; timestamp: string; transactionId?: string; receipt: Receipt };
}

/**
 * The back end's answer to a 1.6 StartTransaction: the transactionId it assigned and the idTag's
 * status. `idTag` is the token of the StartTransaction CALL with the same OCPP message id, when it was
 * recorded first (the edge publishes the CALL before its answer).
 */
export interface OcppTransactionIdAssigned {
  type: 'OcppTransactionIdAssigned';
  data: { stationId: string; ocppMessageId: string; transactionId: string; idTagStatus: string; idTag?: string; receipt: Receipt };
}

/** A 1.6 StopTransaction: the transaction, and the idTag that stopped it when the station sent one. */
export interface OcppTransactionStopped {
  type: 'OcppTransactionStopped';
  data: { stationId: string; transactionId: string; idTag?: string; meterStop?: number; timestamp?: string; reason?: string; receipt: Receipt };
}

/** A 2.0.1 TransactionEvent's transaction facts. `seqNo` is decimal text (exact at any size). */
export interface OcppTransactionEventRecorded {
  type: 'OcppTransactionEventRecorded';
  data: { stationId: string; transactionId: string; eventType: string; seqNo: string; triggerReason: string; idToken?: OcppToken; timestamp: string; receipt: Receipt };
}

/** Who registered a token: the operator, or the eMSP itself. */
export type TokenRegistrant = 'operator' | `emsp:${string}`;

/**
 * A token of an eMSP (the OCPI 2.2.1 Tokens module is the model): `uid` as the station reads it,
 * `type` (OCPI TokenType), the contract id, and the eMSP id (the id of QUERY_API_KEYS' `emsp:<id>`).
 */
export interface TokenRegistered {
  type: 'TokenRegistered';
  data: { uid: string; tokenType: string; contractId?: string; emspId: string; registeredBy: TokenRegistrant; registeredAt: string };
}

/** A token no longer belongs to its eMSP (withdrawn by it, or by the operator). */
export interface TokenWithdrawn {
  type: 'TokenWithdrawn';
  data: { uid: string; emspId: string; withdrawnBy: TokenRegistrant; withdrawnAt: string };
}

export type OcppTransactionFact = OcppTransactionStarted | OcppTransactionIdAssigned | OcppTransactionStopped | OcppTransactionEventRecorded;

/**
 * The ledger's signed checkpoint (services/ledger/src/evidence): the RFC 9162 tree head over every
 * stream head appended so far, with the heads this checkpoint appended.
 */
export interface CheckpointSigned {
  type: 'CheckpointSigned';
  data: {
    statement: { log: string; sequence: number; treeSize: number; rootHash: string; streams: number; events: number; createdAt: string; keyId: string };
    signature: string;
    publicKey: { algorithm: 'Ed25519' | 'ECDSA-P256-SHA256'; spki: string; keyId: string };
    /** The heads appended by this checkpoint, in stream-name order: leaves treeSize - heads.length … treeSize - 1. */
    heads: { stream: string; revision: number; hash: string }[];
  };
}

export type LedgerEvent =
  | CheckpointSigned
  | StationKeyRegistered
  | DatasetRecorded
  | GapOpened
  | GapClosed
  | DuplicateReceived
  | ConflictReceived
  | DatasetRejected
  | MetrologyLogEntryRecorded
  | StationFaultReported
  | StationCommissioningRecorded
  | StationHistoryEvent
  | OcppTransactionStarted
  | OcppTransactionIdAssigned
  | OcppTransactionStopped
  | OcppTransactionEventRecorded
  | TokenRegistered
  | TokenWithdrawn;

export type LedgerEventType = LedgerEvent['type'];
