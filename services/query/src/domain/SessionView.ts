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
  emspId: string | null;
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
