import * as kafkajs from 'kafkajs';
import type { KafkaConnectionOptions } from '@metrology-ledger/service-runtime';
import { IngestKafkaServer, type KafkaSettings } from './IngestKafkaServer';
import { KafkaLogFilter } from './KafkaLogFilter';

/**
 * Every kafkajs client ingest makes gets the one connection object (TLS with the cluster CA, SASL):
 * the consumer (and Nest's reply producer) through Nest's Kafka transport, and the admin client that
 * KafkaBrokerProbe and ConsumerLagMonitor share (main.ts: `new Kafka(IngestKafkaServer.adminClientConfig(…))`).
 */
jest.mock('kafkajs', () => {
  const actual = jest.requireActual<typeof import('kafkajs')>('kafkajs');
  return { ...actual, Kafka: jest.fn((config: import('kafkajs').KafkaConfig) => new actual.Kafka(config)) };
});

describe("ingest's kafkajs clients", () => {
  const connection: KafkaConnectionOptions = {
    ssl: { ca: ['-----BEGIN CERTIFICATE-----\n…\n-----END CERTIFICATE-----\n'], rejectUnauthorized: true },
    sasl: { mechanism: 'scram-sha-512', username: 'ingest', password: 'pw' },
  };
  const settings: KafkaSettings = {
    brokers: ['kafka:9093'],
    clientId: 'metrology-ingest',
    groupId: 'g',
    topics: { datasets: 'd', metrologyLog: 'l', faults: 'f', ocppFrames: 'o' },
    maxBytesPerPartition: 1 << 20,
    maxBytes: 8 << 20,
    connection,
  };
  const logFilter = new KafkaLogFilter({ error: jest.fn(), warn: jest.fn(), log: jest.fn(), debug: jest.fn() });
  afterEach(() => jest.clearAllMocks());

  it("Nest's transport builds its client with the connection", () => {
    const made = jest.mocked(kafkajs.Kafka);
    IngestKafkaServer.create(settings, logFilter).createClient();
    expect(made).toHaveBeenCalledTimes(1);
    expect(made.mock.calls[0][0]).toMatchObject({ ...connection, clientId: 'metrology-ingest-server', brokers: ['kafka:9093'] });
    expect(made.mock.calls[0][0].sasl).toBe(connection.sasl);
    expect(made.mock.calls[0][0].ssl).toBe(connection.ssl);
  });

  it('the admin client (broker probe, lag monitor) has the same connection', () => {
    const config = IngestKafkaServer.adminClientConfig(settings, logFilter);
    expect(config).toMatchObject({ ...connection, clientId: 'metrology-ingest-admin', brokers: ['kafka:9093'] });
    expect(config.sasl).toBe(connection.sasl);
    expect(config.ssl).toBe(connection.ssl);
  });

  it('without TLS and SASL: neither key is set (plaintext)', () => {
    const config = IngestKafkaServer.adminClientConfig({ ...settings, connection: {} }, logFilter);
    expect('ssl' in config || 'sasl' in config).toBe(false);
  });

  it('main.ts makes no kafkajs client other than the admin client from adminClientConfig', () => {
    const { readFileSync, readdirSync, statSync } = jest.requireActual<typeof import('node:fs')>('node:fs');
    const { join } = jest.requireActual<typeof import('node:path')>('node:path');
    const src = join(__dirname, '..');
    const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
    const constructions = files(src)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
      .flatMap((f) => (readFileSync(f, 'utf8').match(/new Kafka\([^)]*\)/g) ?? []).map((c) => `${f.slice(src.length + 1)}: ${c}`));
    expect(constructions).toEqual(['main.ts: new Kafka(IngestKafkaServer.adminClientConfig(config.kafka, logFilter)']);
  });
});
