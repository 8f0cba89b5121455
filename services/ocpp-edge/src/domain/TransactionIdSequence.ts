/**
 * Standalone mode, OCPP 1.6: the transactionId the edge assigns in its StartTransaction answer.
 * Stations often keep it in a 32-bit signed integer, so ids stay below 2^31. The sequence starts at
 * the seconds elapsed since 2025-01-01 when the edge starts. With a high-water mark
 * (`TransactionIdMark`, EDGE_TRANSACTION_ID_FILE) it starts at the mark when that is higher, and
 * before it hands out an id it has not reserved it stores a new mark a block ahead: a restart never
 * hands out an id again, however many ids the edge gave in however few seconds (a restart skips at
 * most one block). Without one, ids repeat after a restart when the edge assigned more ids than
 * seconds have passed.
 */
export const TRANSACTION_ID_EPOCH_MS = Date.UTC(2025, 0, 1);
const MAX_ID = 2 ** 31 - 1;
/** Ids reserved by one write of the mark. */
export const TRANSACTION_ID_BLOCK = 1000;

/** Where the first id not yet reserved is kept across restarts. */
export interface TransactionIdMark {
  /** The stored mark; undefined when none was stored yet. */
  read(): number | undefined;
  /** Stores the mark (durably) before any id below it is handed out; throws when it cannot. */
  reserve(next: number): void;
}

export class TransactionIdSequence {
  private next: number;
  /** Ids below this are reserved in the mark (0: none). */
  private reservedUntil = 0;

  constructor(
    now: Date,
    private readonly mark?: TransactionIdMark,
    private readonly block = TRANSACTION_ID_BLOCK,
  ) {
    const fromClock = Math.max(1, Math.floor((now.getTime() - TRANSACTION_ID_EPOCH_MS) / 1000)) % MAX_ID;
    const stored = mark?.read();
    this.next = stored !== undefined && stored > fromClock ? stored : fromClock;
    if (this.next > MAX_ID) this.next = 1;
    // The first block is reserved at once: a mark that cannot be stored stops the edge at its start.
    if (mark) this.reserve();
  }

  private reserve(): void {
    const until = Math.min(this.next + this.block, MAX_ID + 1);
    this.mark!.reserve(until);
    this.reservedUntil = until;
  }

  /** The next id; with a mark, throws (and hands out nothing) when a new reservation cannot be stored. */
  take(): number {
    if (this.mark && this.next >= this.reservedUntil) this.reserve();
    const id = this.next;
    if (this.next >= MAX_ID) {
      this.next = 1;
      this.reservedUntil = 0;
    } else this.next++;
    return id;
  }
}
