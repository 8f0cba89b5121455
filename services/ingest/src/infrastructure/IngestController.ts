import { Controller, Inject } from '@nestjs/common';
import { Ctx, EventPattern, KafkaContext, Payload } from '@nestjs/microservices';
import type { Consumer } from 'kafkajs';
import { MessageIntake } from './MessageIntake';
import { OffsetCommitter } from './OffsetCommitter';
import { DEFAULT_TOPICS } from './Topics';
import type { TransportMessage } from './TransportMessage';

/**
 * Edge of the ingest service: one handler per topic, each translating the transport's message into a
 * Delivery for MessageIntake. With Kafka, that is where the message sits (source), how to keep the
 * session alive (heartbeat) and what to do once the ledger has the record (offset bookkeeping:
 * OffsetCommitter commits a partition's offset only when every earlier message is recorded). The
 * patterns are the default topic names; IngestKafkaServer maps them to the configured ones.
 */
@Controller()
export class IngestController {
  private committer: OffsetCommitter | undefined;
  /** The consumer of the latest message: after a restart of the transport, commits go through the new one. */
  private consumer: Consumer | undefined;

  constructor(@Inject(MessageIntake) private readonly intake: MessageIntake) {}

  @EventPattern(DEFAULT_TOPICS.datasets)
  datasets(@Payload() msg: TransportMessage, @Ctx() ctx?: KafkaContext): Promise<void> {
    return this.accept(msg, ctx);
  }

  @EventPattern(DEFAULT_TOPICS.metrologyLog)
  metrologyLog(@Payload() msg: TransportMessage, @Ctx() ctx?: KafkaContext): Promise<void> {
    return this.accept(msg, ctx);
  }

  @EventPattern(DEFAULT_TOPICS.faults)
  faults(@Payload() msg: TransportMessage, @Ctx() ctx?: KafkaContext): Promise<void> {
    return this.accept(msg, ctx);
  }

  @EventPattern(DEFAULT_TOPICS.ocppFrames)
  ocppFrames(@Payload() msg: TransportMessage, @Ctx() ctx?: KafkaContext): Promise<void> {
    return this.accept(msg, ctx);
  }

  /** Messages recorded or rejected so far. */
  get processed(): number {
    return this.intake.processed;
  }

  /** Resolves when every message handed over so far is recorded. */
  drain(): Promise<void> {
    return this.intake.drain();
  }

  /** Waits for the messages in flight, then commits what they completed. */
  async flushOffsets(): Promise<void> {
    await this.drain();
    await this.committer?.flush();
  }

  private accept(msg: TransportMessage, ctx?: KafkaContext): Promise<void> {
    if (!(ctx instanceof KafkaContext) || msg.offset === undefined) return this.intake.accept({ message: msg, source: `embedded:${msg.topic}` });
    this.consumer = ctx.getConsumer();
    const committer = (this.committer ??= new OffsetCommitter(() => this.consumer));
    const partition = msg.partition ?? ctx.getPartition();
    const slot = committer.started(msg.topic, partition, msg.offset);
    const heartbeat = ctx.getHeartbeat();
    return this.intake.accept({
      message: msg,
      source: `kafka:${msg.topic}/${partition}@${msg.offset}`,
      position: { topic: msg.topic, partition, offset: msg.offset },
      keepAlive: () => heartbeat(),
      recorded: () => committer.completed(msg.topic, partition, slot),
    });
  }
}
