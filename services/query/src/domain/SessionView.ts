/**
 * One charging session as eMSPs and receipts need it, projected from the ledger's dataset events.
 * `status`: `recorded` — one signed packet, verified; `conflict` — more than one validly signed packet
 * for the same counter (no figure may be billed until resolved).
 */
export interface SessionView {
  stationId: string;
  publicKey: string;
  streamId: string;
  counter: string;
  pagination: string;
  transactionId: string | null;
  connector: number | null;
  /**
   * The eMSP the session belongs to (see `emspSource`); null: no eMSP yet, visible to operators and
   * auditors only.
   */
  emspId: string | null;
  /** Where `emspId` comes from: the CSMS message, the token registry, an EMAID's provider; null: none. */
  emspSource: 'message' | 'registry' | 'emaid' | null;
  /** The token of the session: the OCPP token of its transaction, else the signed identification when an RFID or contract id. */
  token: SessionToken | null;
  /** Set when the OCPP token and the signed identification ID differ: what differs. */
  tokenMismatch: string | null;
  status: 'recorded' | 'conflict';
  /** The dataset exactly as recorded (the first one, when there is a conflict). */
  ocmf: string;
  conflictingOcmf: string[];
  verdict: string;
  verifier: string;
  recordedAt: string;
  /** From the signed readings (station clock: informative, never used to order). */
  startTime: string | null;
  endTime: string | null;
  /** Delivered energy (end - begin, already compensated), decimal text; null when not determinable. */
  energy: string | null;
  unit: string | null;
  /** Why there is no energy figure, when there is none. */
  energyWithheld: string | null;
  identification: { status: boolean | null; type: string | null; data: string | null };
  cumulatedLoss: string | null;
  timeStatus: string[];
}

/** A token as a session knows it: the uid as sent, its type (OCPP 2.0.1 or OCMF `IT`; none for 1.6), where it was read. */
export interface SessionToken {
  uid: string;
  type: string | null;
  source: 'ocpp' | 'ocmf';
}
