/**
 * Bounded concurrency for message handling: up to `limit` tasks run at once, so the wait on the
 * ledger store overlaps the signature checks of the next messages. `submit` starts a task and
 * returns once there is room for the next one, which is how the transport is held back; `drain`
 * waits for every task started so far. A task's failure goes to `onError` and frees its place.
 * A finishing task wakes who waits for room or for the end directly: no promise is raced against
 * every running task per message.
 */
export class InFlightWindow {
  private running = 0;
  /** Submitters waiting for room. */
  private waiting: (() => void)[] = [];
  /** Resolved when no task runs (for `drain`); made on demand. */
  private idle: { done: Promise<void>; resolve: () => void } | undefined;

  constructor(
    readonly limit: number,
    private readonly onError: (error: unknown) => void,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`an in-flight window holds at least one task; got ${limit}`);
  }

  /** Tasks started and not finished. */
  get size(): number {
    return this.running;
  }

  /** Starts `task` (at once, before returning); resolves when fewer than `limit` tasks are running. */
  submit(task: () => Promise<void>): Promise<void> {
    this.running++;
    void this.run(task);
    if (this.running < this.limit) return Promise.resolve();
    return new Promise<void>((resolve) => this.waiting.push(resolve));
  }

  /** Resolves when every task submitted so far (and any submitted meanwhile) has finished. */
  drain(): Promise<void> {
    if (this.running === 0) return Promise.resolve();
    if (!this.idle) {
      let resolve!: () => void;
      const done = new Promise<void>((r) => (resolve = r));
      this.idle = { done, resolve };
    }
    return this.idle.done;
  }

  private async run(task: () => Promise<void>): Promise<void> {
    try {
      await task();
    } catch (e) {
      try {
        this.onError(e);
      } catch {
        // a failing error handler must not take the window down
      }
    }
    this.running--;
    if (this.running < this.limit && this.waiting.length > 0) {
      const waiting = this.waiting;
      this.waiting = [];
      for (const resolve of waiting) resolve();
    }
    if (this.running === 0 && this.idle) {
      const idle = this.idle;
      this.idle = undefined;
      idle.resolve();
    }
  }
}
