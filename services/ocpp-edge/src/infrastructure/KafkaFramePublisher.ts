import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { quoteBounded } from '@metrology-ledger/ledger';
import { Kafka, logLevel, Partitioners, type LogEntry, type PartitionMetadata, type Producer } from 'kafkajs';
import { EDGE_LOGGER, type EdgeLogger } from '../application/EdgeLogger';
import type { FramePublisher } from '../application/FramePublisher';
import { GroupCommit } from '../application/GroupCommit';
import { EDGE_CONFIG, type EdgeConfig } from '../config/EdgeConfig';
import type { OcppFrameRecord } from '../domain/OcppFrameRecord';
import { Readiness } from '@metrology-ledger/service-runtime';
import { EdgeMetrics } from '../metrics/EdgeMetrics';

/**
 * Publishes frame records through ONE long-lived idempotent kafkajs producer with acks = all
 * (-1): a record counts as stored when every in-sync replica has it. Key = station identity, so one
 * station's frames stay in order on one partition. Records arriving while a send is in flight go
 * out together in the next one (GroupCommit), since the idempotent producer sends one request per
 * broker at a time anyway. A send that Kafka does not acknowledge within EDGE_KAFKA_ACK_TIMEOUT_MS
 * fails the frame (the station gets InternalError and sends it again); kafkajs keeps retrying
 * what is already in flight.
 */
@Injectable()
export class KafkaFramePublisher implements FramePublisher, OnModuleInit, OnApplicationShutdown {
  private readonly kafka: Kafka;
  private readonly producer: Producer;
  private readonly commits: GroupCommit<OcppFrameRecord>;
  /** The topic's partitions, read at start: which partition a station's records go to. */
  private partitions: PartitionMetadata[] = [];
  /** Java-compatible murmur2 on the key, so every Kafka client puts a station on the same partition. */
  private readonly partitioner = Partitioners.DefaultPartitioner();

  constructor(
    @Inject(EDGE_CONFIG) private readonly config: EdgeConfig,
    @Inject(EDGE_LOGGER) private readonly log: EdgeLogger,
    @Inject(EdgeMetrics) private readonly metrics: EdgeMetrics,
    @Inject(Readiness) private readonly readiness: Readiness,
  ) {
    readiness.fail('kafka', 'producer not connected yet');
    const kafka = (this.kafka = new Kafka({
      ...config.kafka.connection,
      clientId: config.kafka.clientId,
      brokers: config.kafka.brokers,
      logLevel: logLevel.WARN,
      logCreator: () => (entry: LogEntry) => {
        const text = `kafka${entry.namespace ? ` ${entry.namespace}` : ''}: ${quoteBounded(entry.log.message, 300)}`;
        if (entry.level <= logLevel.ERROR) log.error(text);
        else log.warn(text);
      },
    }));
    this.producer = kafka.producer({
      idempotent: true,
      maxInFlightRequests: 1,
      allowAutoTopicCreation: false,
      // Java-compatible murmur2 on the key, so every Kafka client puts a station on the same partition.
      createPartitioner: Partitioners.DefaultPartitioner,
      // Retries never stop (idempotence needs that) but wait at most 2 s, so a send resumes soon after
      // the broker is back instead of after kafkajs's default 30 s backoff.
      retry: { retries: Number.MAX_SAFE_INTEGER, initialRetryTime: 100, maxRetryTime: 2_000 },
    });
    this.commits = new GroupCommit<OcppFrameRecord>(
      async (records) => {
        const started = process.hrtime.bigint();
        let ok = false;
        try {
          // One send per partition: kafkajs 2.2.4 keeps the brokers that answered across the retries
          // of one send, and a partition whose leader moved to one of them is skipped while the send
          // reports success (tools/chaos found 14 of 812 records lost that way when a broker died).
          // With one partition a send cannot skip part of itself. Per partition, not per station:
          // a send per station made a group of a thousand stations a thousand requests in a row.
          await Promise.all([...this.byPartition(records)].map((messages) => this.producer.send({ topic: config.kafka.topic, acks: -1, messages })));
          ok = true;
        } finally {
          this.metrics.kafkaSend(Number(process.hrtime.bigint() - started) / 1e9, ok);
        }
      },
      config.kafka.ackTimeoutMs,
    );
  }

  /** Connects before the edge accepts stations; the service does not start without Kafka. */
  async onModuleInit(): Promise<void> {
    const { topic } = this.config.kafka;
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      const topics = await admin.listTopics();
      if (!topics.includes(topic)) throw new Error(`Kafka topic ${topic} does not exist: create it (KAFKA_TOPIC_OCPP_FRAMES; records are keyed by station identity)`);
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      this.partitions = metadata.topics.find((t) => t.name === topic)?.partitions ?? [];
      if (this.partitions.length === 0) throw new Error(`Kafka topic ${topic} has no partitions in its metadata`);
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    this.producer.on(this.producer.events.CONNECT, () => this.readiness.ok('kafka'));
    this.producer.on(this.producer.events.DISCONNECT, () => this.readiness.fail('kafka', 'producer disconnected'));
    await this.producer.connect();
    this.readiness.ok('kafka');
    this.log.log(`Kafka producer connected to ${this.config.kafka.brokers.join(',')}, topic ${this.config.kafka.topic} (idempotent, acks=all)`);
  }

  /** The records of each partition (a station's always in one), each in the order they came, with their partition set. */
  private byPartition(records: readonly OcppFrameRecord[]): IterableIterator<{ key: string; value: string; partition: number }[]> {
    const out = new Map<number, { key: string; value: string; partition: number }[]>();
    const topic = this.config.kafka.topic;
    for (const r of records) {
      const partition = this.partitioner({ topic, partitionMetadata: this.partitions, message: { key: r.identity, value: null } });
      const message = { key: r.identity, value: JSON.stringify(r), partition };
      const group = out.get(partition);
      if (group) group.push(message);
      else out.set(partition, [message]);
    }
    return out.values();
  }

  publish(record: OcppFrameRecord): Promise<void> {
    return this.commits.submit(record);
  }

  /** After the station connections are closed: sends what is still waiting, then disconnects. */
  async onApplicationShutdown(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const drained = await Promise.race([
      this.commits.drain().then(() => true),
      new Promise<boolean>((r) => (timer = setTimeout(() => r(false), this.config.shutdownTimeoutMs))),
    ]);
    clearTimeout(timer);
    if (!drained) this.log.warn(`shutdown: ${this.commits.pending} frame send(s) still unacknowledged by Kafka; their stations were not answered and will send them again`);
    await this.producer.disconnect().catch(() => undefined);
    this.log.log('Kafka producer flushed and disconnected');
  }
}
