import { ServerKafka, type KafkaOptions, type MessageHandler } from '@nestjs/microservices';
import { logLevel, Partitioners, type KafkaConfig } from 'kafkajs';
import type { KafkaConnectionOptions } from '@metrology-ledger/service-runtime';
import type { ConsumerEvents } from './KafkaConsumerSupervisor';
import type { KafkaLogFilter } from './KafkaLogFilter';
import { RawMessageDeserializer } from './RawMessageDeserializer';
import { DEFAULT_TOPICS, type Topics } from './Topics';

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

  /** Stops fetching from every topic (shutdown): what was fetched already is handed back by not acknowledging it. */
  pause(): void {
    this.consumer?.pause(Object.values(this.topics).map((topic) => ({ topic })));
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
