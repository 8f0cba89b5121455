import type { LedgerEvent } from './LedgerEvent';

/**
 * What the ledger knows about one dataset stream, folded from its events: which counters are held
 * (with the payload hashes held for each), the highest counter, and which messages were processed.
 * Counters are BigInt here; events carry them as decimal text.
 */
export class DatasetStreamState {
  /** counter -> payload hashes held (more than one: a conflict). */
  readonly held = new Map<bigint, string[]>();
  highest = 0n;
  readonly processedMessages = new Set<string>();
  revision = -1;
  headHash: string | undefined;

  apply(event: LedgerEvent): void {
    switch (event.type) {
      case 'DatasetRecorded':
      case 'ConflictReceived': {
        const c = BigInt(event.data.counter);
        const hashes = this.held.get(c) ?? [];
        if (!hashes.includes(event.data.payloadSha256)) hashes.push(event.data.payloadSha256);
        this.held.set(c, hashes);
        if (c > this.highest) this.highest = c;
        this.processedMessages.add(event.data.receipt.messageId);
        break;
      }
      case 'DuplicateReceived':
        this.processedMessages.add(event.data.receipt.messageId);
        break;
      default:
        break;
    }
  }

  /** Counters from 1 to the highest that are not held: the gaps that are open now. */
  openGaps(): bigint[] {
    const out: bigint[] = [];
    for (let c = 1n; c < this.highest; c++) if (!this.held.has(c)) out.push(c);
    return out;
  }
}
