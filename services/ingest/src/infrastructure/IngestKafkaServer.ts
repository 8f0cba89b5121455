import { KafkaContext, ServerKafka, type KafkaOptions, type MessageHandler } from '@nestjs/microservices';
import { logLevel, Partitioners, type Consumer, type EachBatchPayload, type KafkaConfig } from 'kafkajs';
import type { KafkaConnectionOptions } from '@metrology-ledger/service-runtime';
import type { ConsumerEvents } from './KafkaConsumerSupervisor';
import type { KafkaLogFilter } from './KafkaLogFilter';
import { RawMessageDeserializer } from './RawMessageDeserializer';
import { DEFAULT_TOPICS, type Topics } from './Topics';
import { isObservable, lastValueFrom } from 'rxjs';

/** The Kafka side of the service's configuration (IngestConfig). */
export interface KafkaSettings {
  brokers: string[];
  clientId: string;
  /** Nest appends GROUP_POSTFIX: the group the broker sees is `${groupId}-server`. */
  groupId: string;
  topics: Topics;
  /** Most bytes one fetch returns per partition (kafkajs `maxBytesPerPartition`). */
  maxBytesPerPartition: number;
  /** Most bytes one fetch returns over all partitions (kafkajs `maxBytes`). */
  maxBytes: number;
  /** TLS and SASL (KAFKA_SSL_CA_FILE, KAFKA_SASL_*): given to every kafkajs client of the service. Holds the password. */
  connection: KafkaConnectionOptions;
}

/** Nest's default postfix, kept so that existing consumer groups keep their committed offsets. */
export const GROUP_POSTFIX = '-server';

/**
 * Nest's Kafka transport for ingest: subscribes to the configured topic names (the controller's
 * handlers are registered under the default names and mapped here, so no decorator reads the
 * environment), hands records over raw, bounds fetch sizes, logs through KafkaLogFilter at WARN,
 * commits offsets itself (IngestController), and reports the consumer's joins and crashes.
 *
 * Records are taken a fetched batch at a time (kafkajs `eachBatch`) and handed to the controller's
 * handler one after another in offset order, without Nest's per-message reply machinery (ingest
 * answers no request); the handler returns once the intake has room, so the batch's next records are
 * verified while earlier ones are appended. A record is marked as consumed once handed over; its
 * offset is committed only when the ledger holds it and every record before it (OffsetCommitter).
 */
export class IngestKafkaServer extends ServerKafka {
  constructor(
    options: Required<KafkaOptions>['options'],
    private readonly topics: Topics,
    private readonly events?: ConsumerEvents,
  ) {
    super(options);
  }

  static create(settings: KafkaSettings, logFilter: KafkaLogFilter, events?: ConsumerEvents): IngestKafkaServer {
    return new IngestKafkaServer(
      {
        postfixId: GROUP_POSTFIX,
        client: { ...settings.connection, clientId: settings.clientId, brokers: settings.brokers, logLevel: logLevel.WARN, logCreator: logFilter.logCreator, retry: { retries: 8 } },
        consumer: {
          groupId: settings.groupId,
          sessionTimeout: 10_000,
          heartbeatInterval: 1_000,
          maxBytesPerPartition: settings.maxBytesPerPartition,
          maxBytes: settings.maxBytes,
        },
        // Nest's transport always makes a producer (for replies, unused here): the current partitioner, without kafkajs's warning about it.
        producer: { createPartitioner: Partitioners.DefaultPartitioner },
        subscribe: { fromBeginning: true },
        run: { autoCommit: false },
        parser: { keepBinary: true },
        deserializer: new RawMessageDeserializer(),
      },
      settings.topics,
      events,
    );
  }

  /**
   * The configuration of the service's other kafkajs client: the admin client the broker probe
   * (KafkaBrokerProbe) and the lag monitor (ConsumerLagMonitor) share. Same connection as the consumer.
   */
  static adminClientConfig(settings: Pick<KafkaSettings, 'clientId' | 'brokers' | 'connection'>, logFilter: KafkaLogFilter): KafkaConfig {
    return { ...settings.connection, clientId: `${settings.clientId}-admin`, brokers: settings.brokers, logLevel: logLevel.WARN, logCreator: logFilter.logCreator, retry: { retries: 2 } };
  }

  /** The consumer group as the broker knows it. */
  static groupIdOf(settings: Pick<KafkaSettings, 'groupId'>): string {
    return `${settings.groupId}${GROUP_POSTFIX}`;
  }

  /** Set by `pause`: the batch being handed over stops too. */
  private paused = false;

  /** Stops fetching from every topic (shutdown): what was fetched already is handed back by not acknowledging it. */
  pause(): void {
    this.paused = true;
    this.consumer?.pause(Object.values(this.topics).map((topic) => ({ topic })));
  }

  /** Runs the consumer on whole batches (see the class comment); subscribes like Nest's transport. */
  override async bindEvents(consumer: Consumer): Promise<void> {
    const topics = [...this.messageHandlers.keys()];
    if (topics.length > 0) await consumer.subscribe({ ...this.options.subscribe, topics });
    await consumer.run({ ...this.options.run, eachBatchAutoResolve: false, eachBatch: (payload) => this.handleBatch(payload) });
  }

  /** Hands each record of a batch to its topic's handler, in order; stops early when the consumer stops, is paused (shutdown) or the group rebalances. */
  async handleBatch({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const handler = this.getHandlerByPattern(batch.topic);
    for (const message of batch.messages) {
      if (!isRunning() || isStale() || this.paused) return;
      const packet = await this.deserializer.deserialize({ ...message, topic: batch.topic, partition: batch.partition }, { channel: batch.topic });
      if (!handler) {
        this.logger.error(`no handler for topic ${batch.topic}: record ${batch.partition}@${message.offset} left uncommitted`);
        return;
      }
      // Nest hands back an Observable when the handler failed (its exception filter): thrown here, the
      // consumer restarts from the committed offset, so the record is delivered again, never skipped.
      const result: unknown = await handler(packet.data, new KafkaContext([message, batch.partition, batch.topic, this.consumer!, heartbeat, this.producer!]));
      if (isObservable(result)) await lastValueFrom(result, { defaultValue: undefined });
      resolveOffset(message.offset);
    }
    await heartbeat();
  }

  /** Handlers arrive under the default topic names; they are registered under the configured ones. */
  override addHandler(pattern: unknown, callback: MessageHandler, isEventHandler?: boolean, extras?: Record<string, unknown>): void {
    super.addHandler(this.topicOf(pattern), callback, isEventHandler, extras);
  }

  protected override registerConsumerEventListeners(): void {
    super.registerConsumerEventListeners();
    const consumer = this.consumer;
    const events = this.events;
    if (!consumer || !events) return;
    consumer.on(consumer.events.GROUP_JOIN, () => events.joined());
    consumer.on(consumer.events.CRASH, (e) => events.crashed(e.payload.error, e.payload.restart));
  }

  private topicOf(pattern: unknown): unknown {
    const key = (Object.keys(DEFAULT_TOPICS) as (keyof Topics)[]).find((k) => DEFAULT_TOPICS[k] === pattern);
    return key ? this.topics[key] : pattern;
  }
}
