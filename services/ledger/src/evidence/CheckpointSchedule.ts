import type { CheckpointLog } from './CheckpointLog';

/** When the ledger signs a checkpoint by itself: after so many appended events, and every so many minutes. */
export interface CheckpointPolicy {
  everyEvents: number;
  everyMinutes: number;
}

export const DEFAULT_CHECKPOINT_POLICY: CheckpointPolicy = { everyEvents: 10_000, everyMinutes: 60 };

/**
 * Makes checkpoints on the policy's count and clock. A checkpoint that fails (no key, a rewritten
 * history) goes to `onError` and is tried again at the next trigger; appends are never held up by it.
 */
export class CheckpointSchedule {
  private appended = 0;
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly log: CheckpointLog,
    readonly policy: CheckpointPolicy,
    private readonly onError: (e: Error) => void,
  ) {
    if (!(policy.everyEvents >= 1) || !(policy.everyMinutes > 0)) throw new RangeError('checkpoint policy: everyEvents ≥ 1 and everyMinutes > 0');
  }

  /** Counts appended events; at the policy's count a checkpoint is made in the background. */
  noteAppended(events: number): void {
    this.appended += events;
    if (this.appended >= this.policy.everyEvents) void this.run();
  }

  start(): void {
    this.timer ??= setInterval(() => void this.run(), this.policy.everyMinutes * 60_000);
    this.timer.unref();
  }

  /** Stops the clock and waits for a checkpoint under way. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** The checkpoint under way, if any (tests and shutdown wait for it). */
  settled(): Promise<void> {
    return this.running ?? Promise.resolve();
  }

  private run(): Promise<void> {
    if (this.running) return this.running;
    this.appended = 0;
    this.running = this.log
      .checkpoint()
      .then(
        () => undefined,
        (e: Error) => this.onError(e),
      )
      .finally(() => (this.running = undefined));
    return this.running;
  }
}
