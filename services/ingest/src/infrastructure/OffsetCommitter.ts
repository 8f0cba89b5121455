import type { Consumer } from 'kafkajs';

interface Slot {
  offset: bigint;
  done: boolean;
}

/**
 * Commits Kafka offsets only once the ledger holds every record up to them (at-least-once), even
 * though several messages of a partition are in flight at a time: per partition, the commit point is
 * the highest offset below which every started message has completed. Commits are batched (every
 * `every` completions or `intervalMs`); after a crash the uncommitted tail is delivered again, which
 * the ledger ignores (idempotent by message id).
 */
export class OffsetCommitter {
  private readonly partitions = new Map<string, { topic: string; partition: number; slots: Slot[]; committable?: bigint }>();
  private count = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly consumer: () => Consumer | undefined,
    private readonly every = 200,
    private readonly intervalMs = 500,
  ) {}

  /** A message was handed over; offsets of one partition arrive in increasing order. */
  started(topic: string, partition: number, offset: string): Slot {
    const key = `${topic}/${partition}`;
    let p = this.partitions.get(key);
    if (!p) {
      p = { topic, partition, slots: [] };
      this.partitions.set(key, p);
    }
    const slot = { offset: BigInt(offset), done: false };
    p.slots.push(slot);
    return slot;
  }

  /** The ledger has the record of this slot. */
  async completed(topic: string, partition: number, slot: Slot): Promise<void> {
    slot.done = true;
    const p = this.partitions.get(`${topic}/${partition}`)!;
    while (p.slots.length > 0 && p.slots[0].done) p.committable = p.slots.shift()!.offset + 1n;
    if (++this.count >= this.every) await this.flush();
    else this.timer ??= setTimeout(() => void this.flush().catch(() => undefined), this.intervalMs);
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.count = 0;
    const offsets = [...this.partitions.values()]
      .filter((p) => p.committable !== undefined)
      .map((p) => ({ topic: p.topic, partition: p.partition, offset: p.committable!.toString() }));
    for (const p of this.partitions.values()) p.committable = undefined;
    const consumer = this.consumer();
    if (offsets.length > 0 && consumer) await consumer.commitOffsets(offsets);
  }
}
