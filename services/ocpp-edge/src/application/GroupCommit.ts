import { quoteBounded } from '@metrology-ledger/ledger';
import { FrameNotStored } from './FramePublisher';

interface Pending<T> {
  item: T;
  resolve: () => void;
  reject: (e: Error) => void;
  /** The caller stopped waiting before the item was sent: it is not sent at all. */
  abandoned: boolean;
  timer?: NodeJS.Timeout;
}

/**
 * Sends items one batch at a time: while a batch is in flight, new items wait, and all that waited
 * go out together as the next batch. A lone item leaves at once; under load batches grow by
 * themselves, with no timer. Order is kept (Kafka keeps it within a partition). Each `submit`
 * resolves when its batch is stored, or rejects with FrameNotStored when the send fails or does
 * not finish within `timeoutMs` (an item still waiting then is dropped; one already in flight may
 * still be stored, so a resend of it must be recognisable downstream).
 */
export class GroupCommit<T> {
  private queue: Pending<T>[] = [];
  private inFlight: Promise<void> | undefined;
  private closed = false;

  constructor(
    private readonly sendBatch: (items: T[]) => Promise<void>,
    private readonly timeoutMs: number,
    private readonly maxBatch = 500,
  ) {}

  submit(item: T): Promise<void> {
    if (this.closed) return Promise.reject(new FrameNotStored('closed', 'the edge is shutting down; send it again after reconnecting'));
    return new Promise<void>((resolve, reject) => {
      const p: Pending<T> = { item, resolve, reject, abandoned: false };
      if (this.timeoutMs > 0 && Number.isFinite(this.timeoutMs)) {
        p.timer = setTimeout(() => {
          p.abandoned = true;
          reject(new FrameNotStored('timeout', `Kafka did not acknowledge the frame within ${this.timeoutMs} ms; send it again`));
        }, this.timeoutMs);
      }
      this.queue.push(p);
      this.pump();
    });
  }

  /** Items waiting or in flight. */
  get pending(): number {
    return this.queue.length + (this.inFlight ? 1 : 0);
  }

  /** Accepts no more items and waits until everything submitted is sent or given up. */
  async drain(): Promise<void> {
    this.closed = true;
    while (this.inFlight || this.queue.some((p) => !p.abandoned)) await (this.inFlight ?? Promise.resolve());
  }

  private pump(): void {
    if (this.inFlight) return;
    const batch = this.takeBatch();
    if (batch.length === 0) return;
    this.inFlight = this.sendBatch(batch.map((p) => p.item)).then(
      () => batch.forEach((p) => settle(p, undefined)),
      (e: unknown) => {
        const err = new FrameNotStored('failed', `Kafka did not store the frame (${quoteBounded((e as Error)?.message ?? e, 200)}); send it again`);
        batch.forEach((p) => settle(p, err));
      },
    );
    void this.inFlight.finally(() => {
      this.inFlight = undefined;
      this.pump();
    });
  }

  private takeBatch(): Pending<T>[] {
    const batch: Pending<T>[] = [];
    while (this.queue.length > 0 && batch.length < this.maxBatch) {
      const p = this.queue.shift()!;
      if (!p.abandoned) batch.push(p);
    }
    return batch;
  }
}

function settle<T>(p: Pending<T>, err: Error | undefined): void {
  if (p.timer) clearTimeout(p.timer);
  if (p.abandoned) return;
  if (err) p.reject(err);
  else p.resolve();
}
