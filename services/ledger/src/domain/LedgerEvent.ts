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
  data: { stationId: string; seq: number; time: string; event: string; signedText: string; signature: string; verification: VerificationRecord; receipt: Receipt };
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
  | StationCommissioningRecorded;

export type LedgerEventType = LedgerEvent['type'];
