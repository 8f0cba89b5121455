import type { SessionProjector } from './SessionProjector';

/** What the follower reports, for metrics. */
export interface ReadModelObserver {
  /** A catch-up applied `events` new ledger events (how far behind the read model was) in `seconds`. */
  caughtUp(events: number, seconds: number): void;
  /** A catch-up failed (the store could not be read); the next one tries again. */
  failed(): void;
}

export interface ReadModelFollowerOptions {
  /** Pause between catch-ups once the first one succeeded, ms (QUERY_REFRESH_MS). */
  refreshMs: number;
  /** Longest pause between attempts of the first catch-up while the ledger cannot be read, ms. */
  retryMaxMs?: number;
  logger: { log(message: string): void; warn(message: string): void };
  observer?: ReadModelObserver;
  /** Injectable pause for the first catch-up's retries. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

/**
 * Keeps the read model following the ledger: a full catch-up first (retried with growing pauses
 * while the ledger cannot be read: the service stays live and says it is not ready), then the new
 * events every `refreshMs`, one catch-up at a time. `caughtUpOnce` is what readiness and the start
 * gate ask; `stop` ends the timer and waits for a catch-up under way.
 */
export class ReadModelFollower {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private readonly stopping = new AbortController();
  private caughtUp = false;

  constructor(
    private readonly projector: SessionProjector,
    private readonly options: ReadModelFollowerOptions,
  ) {}

  /** True once the read model has caught up with the ledger at least once. */
  get caughtUpOnce(): boolean {
    return this.caughtUp;
  }

  /** The first catch-up (retried until it succeeds or `stop`); resolves with the sessions it projected, then keeps following. */
  async start(): Promise<number> {
    const maxMs = this.options.retryMaxMs ?? 30_000;
    for (let attempt = 1, pause = 500; !this.stopping.signal.aborted; attempt++, pause = Math.min(pause * 2, maxMs)) {
      try {
        const sessions = await this.tracked(this.catchUp());
        this.caughtUp = true;
        if (this.stopping.signal.aborted) return sessions;
        this.timer = setInterval(() => {
          if (this.running) return;
          void this.tracked(this.catchUp()).catch((e) => this.options.logger.warn(`read model catch-up failed (tried again in ${this.options.refreshMs} ms): ${(e as Error).message}`));
        }, this.options.refreshMs);
        this.timer.unref();
        return sessions;
      } catch (e) {
        this.options.logger.warn(`read model: the first catch-up failed (attempt ${attempt}; not ready until it succeeds; trying again in ${pause} ms): ${(e as Error).message}`);
        await (this.options.sleep ?? pauseFor)(pause, this.stopping.signal);
      }
    }
    return 0;
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    clearInterval(this.timer);
    await this.running;
  }

  /** Remembers the catch-up under way, for `stop`. */
  private tracked<T>(work: Promise<T>): Promise<T> {
    const settled = work.then(
      () => undefined,
      () => undefined,
    );
    this.running = settled;
    void settled.finally(() => {
      if (this.running === settled) this.running = undefined;
    });
    return work;
  }

  private async catchUp(): Promise<number> {
    const before = this.projector.eventsApplied;
    const started = process.hrtime.bigint();
    try {
      const sessions = await this.projector.catchUp();
      this.options.observer?.caughtUp(this.projector.eventsApplied - before, Number(process.hrtime.bigint() - started) / 1e9);
      return sessions;
    } catch (e) {
      this.options.observer?.failed();
      throw e;
    }
  }
}

function pauseFor(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });
}
