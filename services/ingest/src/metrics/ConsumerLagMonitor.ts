import type { PartitionLag } from './IngestMetrics';

/** The part of kafkajs's admin client the monitor uses. */
export interface LagAdmin {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  fetchTopicOffsets(topic: string): Promise<{ partition: number; high: string; low: string }[]>;
  fetchOffsets(options: { groupId: string; topics: string[] }): Promise<{ topic: string; partitions: { partition: number; offset: string }[] }[]>;
}

export interface ConsumerLagMonitorOptions {
  /** How often the lag is read, ms. */
  intervalMs: number;
  logger: { warn(message: string): void; log(message: string): void };
}

/**
 * Reads the consumer group's lag from the brokers every `intervalMs` (kafkajs admin: the topics' high
 * watermarks and the group's committed offsets) and reports it per partition; a partition the group
 * has not committed on counts from its low watermark. One admin connection, reopened after a
 * failure; a failure is logged once until a reading succeeds again, and never stops the service.
 */
export class ConsumerLagMonitor {
  private admin: LagAdmin | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private failing = false;

  constructor(
    private readonly newAdmin: () => LagAdmin,
    private readonly groupId: string,
    private readonly topics: readonly string[],
    private readonly report: (lag: PartitionLag[]) => void,
    private readonly options: ConsumerLagMonitorOptions,
  ) {}

  /** One reading of every partition of the topics (topics the brokers do not have yet are left out). */
  async read(): Promise<PartitionLag[]> {
    if (!this.admin) {
      const admin = this.newAdmin();
      await admin.connect();
      this.admin = admin;
    }
    const admin = this.admin;
    const committed = new Map<string, bigint>();
    for (const t of await admin.fetchOffsets({ groupId: this.groupId, topics: [...this.topics] })) {
      for (const p of t.partitions) committed.set(`${t.topic}/${p.partition}`, BigInt(p.offset));
    }
    const out: PartitionLag[] = [];
    for (const topic of this.topics) {
      let partitions: Awaited<ReturnType<LagAdmin['fetchTopicOffsets']>>;
      try {
        partitions = await admin.fetchTopicOffsets(topic);
      } catch (e) {
        if ((e as { type?: string }).type === 'UNKNOWN_TOPIC_OR_PARTITION') continue;
        throw e;
      }
      for (const p of partitions) {
        const done = committed.get(`${topic}/${p.partition}`) ?? -1n;
        const from = done >= 0n ? done : BigInt(p.low);
        const lag = BigInt(p.high) - from;
        out.push({ topic, partition: p.partition, lag: Number(lag > 0n ? lag : 0n) });
      }
    }
    return out;
  }

  /** Reads now, then every `intervalMs`, until `stop`. */
  start(): void {
    const tick = () => {
      this.running = this.refresh().finally(() => (this.running = undefined));
    };
    tick();
    this.timer = setInterval(() => {
      if (!this.running) tick();
    }, this.options.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    await this.admin?.disconnect().catch(() => undefined);
    this.admin = undefined;
  }

  private async refresh(): Promise<void> {
    try {
      this.report(await this.read());
      if (this.failing) this.options.logger.log('consumer lag: read again');
      this.failing = false;
    } catch (e) {
      if (!this.failing) this.options.logger.warn(`consumer lag cannot be read (metrics keep the last reading): ${(e as Error).message}`);
      this.failing = true;
      await this.admin?.disconnect().catch(() => undefined);
      this.admin = undefined;
    }
  }
}
