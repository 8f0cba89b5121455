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

  private async handle(msg: TransportMessage, ctx?: KafkaContext): Promise<void> {
    const source = msg.offset !== undefined ? `kafka:${msg.topic}/${msg.partition}@${msg.offset}` : `embedded:${msg.topic}`;
    const outcome = await this.untilRecorded(msg, source, ctx);
    this.processed++;
    if (outcome.kind === 'rejected') this.logger.debug(`rejected ${source}: ${outcome.code}: ${outcome.reason}`);
    if (ctx instanceof KafkaContext && msg.offset !== undefined) {
      this.committer ??= new OffsetCommitter(() => ctx.getConsumer());
      await this.committer.processed(msg.topic, msg.partition ?? ctx.getPartition(), msg.offset);
    }
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
    await this.committer?.flush();
  }
}
