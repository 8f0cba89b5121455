/**
 * Standalone mode, OCPP 1.6: the transactionId the edge assigns in its StartTransaction answer.
 * Stations often keep it in a 32-bit signed integer, so ids stay below 2^31. The sequence starts at
 * the seconds elapsed since 2025-01-01 when the edge starts, so ids do not repeat across restarts
 * unless the edge assigned more ids than seconds have passed.
 */
export const TRANSACTION_ID_EPOCH_MS = Date.UTC(2025, 0, 1);
const MAX_ID = 2 ** 31 - 1;

export class TransactionIdSequence {
  private next: number;

  constructor(now: Date) {
    this.next = Math.max(1, Math.floor((now.getTime() - TRANSACTION_ID_EPOCH_MS) / 1000)) % MAX_ID;
  }

  take(): number {
    const id = this.next;
    this.next = this.next >= MAX_ID ? 1 : this.next + 1;
    return id;
  }
}
