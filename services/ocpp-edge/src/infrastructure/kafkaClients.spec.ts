import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import * as kafkajs from 'kafkajs';
import type { EdgeConfig } from '../config/EdgeConfig';
import type { KafkaConnectionOptions } from '@metrology-ledger/service-runtime';
import { Readiness } from '@metrology-ledger/service-runtime';
import { EdgeMetrics } from '../metrics/EdgeMetrics';
import { RecordingLogger } from '../testing/RecordingLogger';
import { KafkaFramePublisher } from './KafkaFramePublisher';

jest.mock('kafkajs', () => {
  const actual = jest.requireActual<typeof import('kafkajs')>('kafkajs');
  return { ...actual, Kafka: jest.fn((config: import('kafkajs').KafkaConfig) => new actual.Kafka(config)) };
});

/**
 * Every kafkajs client the edge makes gets the one connection object (TLS with the cluster CA,
 * SASL): the publisher's client, whose producer sends the frames and whose admin checks the topic.
 */
describe("the edge's kafkajs clients", () => {
  const connection: KafkaConnectionOptions = {
    ssl: { ca: ['-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----\n'], rejectUnauthorized: true },
    sasl: { mechanism: 'scram-sha-512', username: 'ocpp-edge', password: 'pw' },
  };
  const kafka = { brokers: ['kafka:9093'], topic: 'ocpp-frames', clientId: 'ocpp-edge-a', ackTimeoutMs: 1_000, connection };

  it('the frame publisher builds its client with the connection', () => {
    new KafkaFramePublisher({ kafka } as EdgeConfig, new RecordingLogger(), new EdgeMetrics(), new Readiness());
    const made = jest.mocked(kafkajs.Kafka);
    expect(made).toHaveBeenCalledTimes(1);
    const config = made.mock.calls[0][0];
    expect(config).toMatchObject({ ...connection, clientId: 'ocpp-edge-a', brokers: ['kafka:9093'] });
    expect(config.sasl).toBe(connection.sasl);
    expect(config.ssl).toBe(connection.ssl);
  });

  it('the frame publisher is the only place the service makes a kafkajs client (test helpers aside)', () => {
    const src = join(__dirname, '..');
    const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
    const makers = files(src)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts') && !f.startsWith(join(src, 'testing')))
      .filter((f) => /new (kafkajs\.)?Kafka\(|Transport\.KAFKA|ClientKafka|ServerKafka/.test(readFileSync(f, 'utf8')))
      .map((f) => f.slice(src.length + 1));
    expect(makers).toEqual(['infrastructure/KafkaFramePublisher.ts']);
  });
});
