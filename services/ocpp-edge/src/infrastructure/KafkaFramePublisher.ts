import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { quoteBounded } from '@metrology-ledger/ledger';
import { Kafka, logLevel, Partitioners, type LogEntry, type Producer } from 'kafkajs';
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
          // One send per station, so one partition per send: kafkajs 2.2.4 keeps the brokers that
          // answered across the retries of one send, and a partition whose leader moved to one of
          // them is skipped while the send reports success (tools/chaos found 14 of 812 records lost
          // that way when a broker died). With one partition a send cannot skip part of itself.
          await Promise.all(
            [...byIdentity(records)].map(([identity, group]) =>
              this.producer.send({ topic: config.kafka.topic, acks: -1, messages: group.map((r) => ({ key: identity, value: JSON.stringify(r) })) }),
            ),
          );
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
    } finally {
      await admin.disconnect().catch(() => undefined);
    }
    this.producer.on(this.producer.events.CONNECT, () => this.readiness.ok('kafka'));
    this.producer.on(this.producer.events.DISCONNECT, () => this.readiness.fail('kafka', 'producer disconnected'));
    await this.producer.connect();
    this.readiness.ok('kafka');
    this.log.log(`Kafka producer connected to ${this.config.kafka.brokers.join(',')}, topic ${this.config.kafka.topic} (idempotent, acks=all)`);
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

/** The records of each station, in the order they came. */
function byIdentity(records: readonly OcppFrameRecord[]): Map<string, OcppFrameRecord[]> {
  const out = new Map<string, OcppFrameRecord[]>();
  for (const r of records) out.set(r.identity, [...(out.get(r.identity) ?? []), r]);
  return out;
}
