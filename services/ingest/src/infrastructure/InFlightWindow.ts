/**
 * Bounded concurrency for message handling: up to `limit` tasks run at once, so the wait on the
 * ledger store overlaps the signature checks of the next messages. `submit` starts a task and
 * returns once there is room for the next one, which is how the transport is held back; `drain`
 * waits for every task started so far. A task's failure goes to `onError` and frees its place.
 */
export class InFlightWindow {
  private readonly running = new Set<Promise<void>>();

  constructor(
    readonly limit: number,
    private readonly onError: (error: unknown) => void,
  ) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`an in-flight window holds at least one task; got ${limit}`);
  }

  /** Tasks started and not finished. */
  get size(): number {
    return this.running.size;
  }

  /** Starts `task`; resolves when fewer than `limit` tasks are running. */
  async submit(task: () => Promise<void>): Promise<void> {
    const run = (async () => task())().catch((e: unknown) => {
      try {
        this.onError(e);
      } catch {
        // a failing error handler must not take the window down
      }
    });
    const tracked = run.finally(() => this.running.delete(tracked));
    this.running.add(tracked);
    while (this.running.size >= this.limit) await Promise.race(this.running);
  }

  /** Resolves when every task submitted so far (and any submitted meanwhile) has finished. */
  async drain(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
