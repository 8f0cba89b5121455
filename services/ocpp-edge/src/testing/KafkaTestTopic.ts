import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import type { OcppFrameRecord } from '../domain/OcppFrameRecord';

export const TEST_BROKERS = ['127.0.0.1:19092'];

/** A record as read back from Kafka: its key, offset, raw value and the parsed record. */
export interface ReadRecord {
  key: string;
  offset: number;
  value: string;
  record: OcppFrameRecord;
}

/**
 * A topic of its own on the shared test broker (random suffix; deleted at the end) and a consumer
 * that reads everything written to it, so tests can compare what the edge wrote byte for byte.
 */
export class KafkaTestTopic {
  readonly records: ReadRecord[] = [];

  private constructor(
    readonly name: string,
    private readonly kafka: Kafka,
    private readonly consumer: Consumer,
  ) {}

  static async create(prefix = 'ocpp-frames-test', brokers = TEST_BROKERS): Promise<KafkaTestTopic> {
    const kafka = new Kafka({ clientId: 'ocpp-edge-test', brokers, logLevel: logLevel.NOTHING });
    const name = `${prefix}-${randomBytes(6).toString('hex')}`;
    const admin = kafka.admin();
    await admin.connect();
    try {
      await admin.createTopics({ topics: [{ topic: name, numPartitions: 1, replicationFactor: 1 }], waitForLeaders: true });
    } finally {
      await admin.disconnect();
    }
    const consumer = kafka.consumer({ groupId: `${name}-reader`, sessionTimeout: 10_000, heartbeatInterval: 1_000, maxWaitTimeInMs: 100 });
    const t = new KafkaTestTopic(name, kafka, consumer);
    await consumer.connect();
    await consumer.subscribe({ topic: name, fromBeginning: true });
    await consumer.run({
      eachMessage: async ({ message }) => {
        const value = message.value!.toString('utf8');
        t.records.push({ key: message.key!.toString('utf8'), offset: Number(message.offset), value, record: JSON.parse(value) as OcppFrameRecord });
      },
    });
    return t;
  }

  /** The offset the next record will get: every record below it is committed and readable. */
  async highWatermark(): Promise<number> {
    const admin = this.kafka.admin();
    await admin.connect();
    try {
      const offsets = await admin.fetchTopicOffsets(this.name);
      return offsets.reduce((sum, p) => sum + Number(p.high), 0);
    } finally {
      await admin.disconnect();
    }
  }

  /** Waits until the consumer has read the record at `offset`. */
  async at(offset: number, timeoutMs = 20_000): Promise<ReadRecord> {
    return this.waitFor((r) => r.offset === offset, timeoutMs);
  }

  async waitFor(match: (r: ReadRecord) => boolean, timeoutMs = 20_000): Promise<ReadRecord> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const found = this.records.find(match);
      if (found) return found;
      if (Date.now() > until) throw new Error(`no matching record in ${this.name} within ${timeoutMs} ms (${this.records.length} read)`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async dispose(): Promise<void> {
    await this.consumer.disconnect().catch(() => undefined);
    const admin = this.kafka.admin();
    await admin.connect();
    await admin.deleteTopics({ topics: [this.name] }).catch(() => undefined);
    await admin.disconnect();
  }
}
