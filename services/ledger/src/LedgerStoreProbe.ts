import type { Ledger } from './Ledger';

/** The ledger's store did not answer the probe; the reason says what happened. */
export class StoreUnreachable extends Error {
  override readonly name = 'StoreUnreachable';
}

/** A revision no stream reaches: reading from it costs one index lookup and returns nothing. */
const BEYOND_EVERY_STREAM = 2_147_483_647;

/**
 * Whether the ledger's store answers: one read through the ledger that returns no event (the
 * unattributed-rejections stream from a revision no stream reaches), bounded by a timeout. The
 * ledger is attached once the store is open; before that the probe fails saying so.
 */
export class LedgerStoreProbe {
  private ledger: Ledger | undefined;

  constructor(private readonly timeoutMs = 3_000) {}

  attach(ledger: Ledger): void {
    this.ledger = ledger;
  }

  async check(): Promise<void> {
    const ledger = this.ledger;
    if (!ledger) throw new StoreUnreachable('the store is not open yet');
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StoreUnreachable(`${ledger.store.name} did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
    });
    try {
      await Promise.race([ledger.read(ledger.unattributedRejectionsStream(), BEYOND_EVERY_STREAM, 1), timeout]);
    } catch (e) {
      if (e instanceof StoreUnreachable) throw e;
      throw new StoreUnreachable(`${ledger.store.name} did not answer: ${(e as Error).message.slice(0, 200)}`, { cause: e });
    } finally {
      clearTimeout(timer);
    }
  }
}
