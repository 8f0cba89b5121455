import type { Consumer } from 'kafkajs';

/**
 * Commits Kafka offsets only after the ledger holds the records (at-least-once). Handlers run one
 * message at a time per partition, so the last processed offset is a safe commit point. Commits are
 * batched (every `every` messages or `intervalMs`); after a crash at most one batch is delivered again,
 * which the ledger ignores (idempotent by message id).
 */
export class OffsetCommitter {
  private readonly pending = new Map<string, { topic: string; partition: number; offset: string }>();
  private count = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly consumer: () => Consumer | undefined,
    private readonly every = 200,
    private readonly intervalMs = 500,
  ) {}

  async processed(topic: string, partition: number, offset: string): Promise<void> {
    this.pending.set(`${topic}/${partition}`, { topic, partition, offset: (BigInt(offset) + 1n).toString() });
    if (++this.count >= this.every) await this.flush();
    else this.timer ??= setTimeout(() => void this.flush().catch(() => undefined), this.intervalMs);
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.count = 0;
    const offsets = [...this.pending.values()];
    this.pending.clear();
    const consumer = this.consumer();
    if (offsets.length > 0 && consumer) await consumer.commitOffsets(offsets);
  }
}
