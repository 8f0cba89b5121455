/** The steps of stopping the service, in the order they run. */
export interface ShutdownSteps {
  /** Take no more messages: stop fetching, refuse deliveries, stop restarting the consumer and timers. */
  stopTakingWork(): void;
  /** Resolves when every message in flight is recorded (or given up). */
  drain(): Promise<void>;
  /** Ends the retries of messages the store could not take: they are handed back to Kafka. */
  giveUpRetries(): void;
  /** Commits the offsets of what the ledger holds, and nothing beyond. */
  commit(): Promise<void>;
  /** Leaves the consumer group (so its partitions move at once) and disconnects from Kafka. */
  leaveGroup(): Promise<void>;
  /** Closes the store and the servers (health, metrics). */
  closeConnections(): Promise<void>;
}

export interface ShutdownOptions {
  /** Everything must be done within this many ms (SHUTDOWN_GRACE_MS). */
  graceMs: number;
  logger: { log(message: string): void; warn(message: string): void };
}

/** How the shutdown went: `clean` when every step finished within the grace period. */
export interface ShutdownReport {
  clean: boolean;
  /** Steps that did not finish in time, by name. */
  late: string[];
}

/**
 * Stops the service within its grace period, handing back what it cannot finish: takes no more
 * messages, lets those in flight be recorded until shortly before the end of the period (then gives
 * up their retries: they were never acknowledged, so Kafka delivers them again), commits the offsets
 * of what the ledger holds, leaves the group and closes its connections. A reserve of a fifth of the
 * period (at most 5 s) is kept for committing, leaving and closing.
 */
export async function shutDownGracefully(steps: ShutdownSteps, options: ShutdownOptions): Promise<ShutdownReport> {
  const started = Date.now();
  const reserveMs = Math.min(5_000, Math.floor(options.graceMs / 5));
  const left = () => Math.max(0, options.graceMs - (Date.now() - started));
  const late: string[] = [];
  const step = async (name: string, run: () => Promise<void>, ms: number): Promise<void> => {
    const error = (e: unknown) => options.logger.warn(`shutdown: ${name} failed: ${(e as Error).message}`);
    if (!(await within(run().catch(error), ms))) {
      late.push(name);
      options.logger.warn(`shutdown: ${name} did not finish within ${ms} ms`);
    }
  };

  steps.stopTakingWork();
  if (!(await within(steps.drain(), Math.max(0, options.graceMs - reserveMs)))) {
    options.logger.warn('shutdown: messages still not recorded at the end of the grace period are handed back to Kafka (delivered again after the restart)');
    steps.giveUpRetries();
    await step('draining', () => steps.drain(), Math.min(1_000, left()));
  }
  await step('committing offsets', () => steps.commit(), left());
  await step('leaving the consumer group', () => steps.leaveGroup(), left());
  await step('closing connections', () => steps.closeConnections(), left());
  return { clean: late.length === 0, late };
}

/** True when `work` settles within `ms`. */
async function within(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([work.then(() => true, () => true), expired]);
  } finally {
    clearTimeout(timer);
  }
}
