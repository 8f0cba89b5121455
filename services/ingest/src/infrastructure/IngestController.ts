import { Controller, Inject, Logger } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import { IngestPipeline } from '../application/IngestPipeline';
import { OffsetCommitter } from './OffsetCommitter';
import { TOPICS } from './Topics';
import type { TransportMessage } from './TransportMessage';

/**
 * Edge of the ingest service: one handler per topic, each passing the raw message to the pipeline.
 * With Kafka, the offset is committed only after the ledger has the record; if the ledger fails the
 * handler throws, nothing is committed, and Kafka delivers the message again.
 */
@Controller()
export class IngestController {
  private readonly logger = new Logger('ingest');
  private committer: OffsetCommitter | undefined;
  processed = 0;

  constructor(@Inject(IngestPipeline) private readonly pipeline: IngestPipeline) {}

  @EventPattern(TOPICS.datasets)
  datasets(@Payload() msg: TransportMessage, @Ctx() ctx?: KafkaContext): Promise<void> {
    return this.handle(msg, ctx);
  }

  @EventPattern(TOPICS.metrologyLog)
  metrologyLog(@Payload() msg: TransportMessage, @Ctx() ctx?: KafkaContext): Promise<void> {
    return this.handle(msg, ctx);
  }

  @EventPattern(TOPICS.faults)
  faults(@Payload() msg: TransportMessage, @Ctx() ctx?: KafkaContext): Promise<void> {
    return this.handle(msg, ctx);
  }

  /**
   * Up to `window` messages are in flight at once, so the wait on the store overlaps the signature
   * checks of the next messages. Order does not matter to the ledger's result (its rules are
   * order-independent and it serialises appends per stream); offsets are committed in order.
   */
  private async handle(msg: TransportMessage, ctx?: KafkaContext): Promise<void> {
    const source = msg.offset !== undefined ? `kafka:${msg.topic}/${msg.partition}@${msg.offset}` : `embedded:${msg.topic}`;
    const kafka = ctx instanceof KafkaContext && msg.offset !== undefined;
    if (kafka) this.committer ??= new OffsetCommitter(() => ctx.getConsumer());
    const partition = msg.partition ?? (kafka ? ctx.getPartition() : 0);
    const slot = kafka ? this.committer!.started(msg.topic, partition, msg.offset!) : undefined;
    const work = this.untilRecorded(msg, source, kafka ? ctx : undefined).then(async (outcome) => {
      this.processed++;
      if (outcome.kind === 'rejected') this.logger.debug(`rejected ${source}: ${outcome.code}: ${outcome.reason}`);
      if (slot) await this.committer!.completed(msg.topic, partition, slot);
    });
    const tracked = work.finally(() => this.inflight.delete(tracked));
    this.inflight.add(tracked);
    if (this.inflight.size >= this.window) await Promise.race(this.inflight);
  }

  private readonly inflight = new Set<Promise<void>>();
  private readonly window = Math.max(1, Number(process.env.INGEST_IN_FLIGHT ?? 32));

  /** Resolves when every message handed over so far is recorded. */
  async drain(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight]);
  }

  /**
   * A message is never skipped: when the ledger cannot take it (store down), the same message is
   * tried again, with growing pauses, keeping the Kafka session alive, until it is recorded. Later
   * messages of the partition wait; no offset moves past an unrecorded message.
   */
  private async untilRecorded(msg: TransportMessage, source: string, ctx?: KafkaContext) {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.pipeline.process(msg.value, source, msg.key);
      } catch (e) {
        this.logger.error(`cannot record ${source} (attempt ${attempt + 1}), retrying: ${(e as Error).message}`);
        await new Promise((r) => setTimeout(r, Math.min(10_000, 200 * 2 ** attempt)));
        if (ctx instanceof KafkaContext) await ctx.getHeartbeat()().catch(() => undefined);
      }
    }
  }

  async flushOffsets(): Promise<void> {
    await this.drain();
    await this.committer?.flush();
  }
}
