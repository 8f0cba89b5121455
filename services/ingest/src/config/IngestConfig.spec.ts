import { describeConfigProblems, loadIngestConfig } from './IngestConfig';

describe('loadIngestConfig', () => {
  it('gives every default from the brokers alone', () => {
    const r = loadIngestConfig({ KAFKA_BROKERS: '127.0.0.1:19092', PATH: '/usr/bin', PGHOST: 'db', LEDGER_STORE: 'postgres' });
    expect(r).toEqual({
      ok: true,
      config: {
        kafka: {
          brokers: ['127.0.0.1:19092'],
          clientId: 'metrology-ingest',
          groupId: 'metrology-ingest',
          topics: { datasets: 'ocmf-datasets', metrologyLog: 'metrology-log', faults: 'station-faults' },
          maxBytesPerPartition: 1_048_576,
          maxBytes: 8_388_608,
          startRetryMaxMs: 30_000,
        },
        ingest: { maxMessageBytes: 1_048_576, inFlight: 32, recordRetryMaxMs: 10_000, keyRefreshMs: 5_000 },
        health: { host: '0.0.0.0', port: 9101 },
        ledger: { store: 'postgres', environment: { PGHOST: 'db', LEDGER_STORE: 'postgres' } },
      },
    });
  });

  it('reads every setting', () => {
    const r = loadIngestConfig({
      KAFKA_BROKERS: 'k1:9092,k2:9092',
      KAFKA_GROUP_ID: 'ingest-a',
      KAFKA_TOPIC_DATASETS: 'ds',
      KAFKA_TOPIC_METROLOGY_LOG: 'log',
      KAFKA_TOPIC_FAULTS: 'faults',
      KAFKA_FETCH_MAX_BYTES_PER_PARTITION: '2097152',
      KAFKA_FETCH_MAX_BYTES: '4194304',
      INGEST_MAX_MESSAGE_BYTES: '65536',
      INGEST_IN_FLIGHT: '4',
      INGEST_HEALTH_PORT: '0',
      INGEST_HEALTH_HOST: '127.0.0.1',
    });
    expect(r.ok && r.config).toMatchObject({
      kafka: { brokers: ['k1:9092', 'k2:9092'], groupId: 'ingest-a', topics: { datasets: 'ds', metrologyLog: 'log', faults: 'faults' }, maxBytesPerPartition: 2_097_152, maxBytes: 4_194_304 },
      ingest: { maxMessageBytes: 65_536, inFlight: 4 },
      health: { host: '127.0.0.1', port: 0 },
    });
  });

  it('reports every problem at once, naming the variable, the rule and the value', () => {
    const r = loadIngestConfig({
      KAFKA_TOPIC_FAULTS: 'station faults',
      INGEST_IN_FLIGHT: 'many',
      INGEST_MAX_MESSAGE_BYTES: '10',
      INGEST_HEALTH_PORT: '70000',
      LEDGER_STORE: 'mongo',
      REGISTER_KEYS_FROM_MANIFEST: '/tmp/manifest.json',
    });
    expect(r.ok).toBe(false);
    const problems = r.ok ? [] : r.problems;
    expect(problems).toEqual([
      expect.stringMatching(/^KAFKA_BROKERS is not set/),
      'KAFKA_TOPIC_FAULTS must be a Kafka topic name (1-249 letters, digits, . _ -); got "station faults"',
      'INGEST_MAX_MESSAGE_BYTES must be a whole number from 4096 to 67108864; got "10"',
      'INGEST_IN_FLIGHT must be a whole number from 1 to 1024; got "many"',
      'INGEST_HEALTH_PORT must be a whole number from 0 to 65535; got "70000"',
      'LEDGER_STORE must be sqlite, postgres or kurrentdb; got "mongo"',
      expect.stringMatching(/^REGISTER_KEYS_FROM_MANIFEST is set, but the service no longer registers keys/),
    ]);
    expect(describeConfigProblems(problems).split('\n')).toHaveLength(8);
  });

  it('checks settings against each other', () => {
    const r = loadIngestConfig({ KAFKA_BROKERS: 'k:1', KAFKA_TOPIC_FAULTS: 'ocmf-datasets', KAFKA_FETCH_MAX_BYTES: '65536', LEDGER_STORE: 'kurrentdb' });
    expect(r.ok ? [] : r.problems).toEqual([
      'KAFKA_TOPIC_DATASETS, KAFKA_TOPIC_METROLOGY_LOG and KAFKA_TOPIC_FAULTS must name three different topics; got ocmf-datasets, metrology-log, ocmf-datasets',
      'KAFKA_FETCH_MAX_BYTES (65536) must be at least KAFKA_FETCH_MAX_BYTES_PER_PARTITION (1048576)',
      'LEDGER_STORE=kurrentdb needs EVENTSTORE_URL (e.g. kurrentdb://localhost:2113?tls=false)',
    ]);
  });

  it('takes an empty variable as unset', () => {
    expect(loadIngestConfig({ KAFKA_BROKERS: 'k:1', INGEST_IN_FLIGHT: '' })).toMatchObject({ ok: true, config: { ingest: { inFlight: 32 } } });
    expect(loadIngestConfig({ KAFKA_BROKERS: ' ' }).ok).toBe(false);
  });
});
