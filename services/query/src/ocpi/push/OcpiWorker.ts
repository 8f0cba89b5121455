import type { CdrProducer } from './CdrProducer';
import type { CdrPusher, PushOutcome } from './CdrPusher';

/**
 * Runs the OCPI background work every `intervalMs`: CDRs for the sessions the read model gained,
 * then the due pushes; one pass at a time. A failed pass is logged and the next one tries again.
 */
export class OcpiWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly producer: CdrProducer,
    private readonly pusher: CdrPusher,
    private readonly intervalMs: number,
    private readonly log: { warn(message: string): void },
  ) {}

  /** One pass (tests call it directly). */
  async runOnce(): Promise<{ added: number; withheld: number; credited: number } & PushOutcome> {
    const produced = await this.producer.produce();
    const pushed = await this.pusher.push();
    return { ...produced, ...pushed };
  }

  start(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.runOnce()
        .catch((e) => this.log.warn(`OCPI pass failed (tried again in ${this.intervalMs} ms): ${(e as Error).message}`))
        .finally(() => (this.running = undefined));
    }, this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
