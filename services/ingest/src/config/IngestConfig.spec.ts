import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describeConfigProblems, INGEST_CONFIG_VARIABLES, loadIngestConfig } from './IngestConfig';

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
          topics: { datasets: 'ocmf-datasets', metrologyLog: 'metrology-log', faults: 'station-faults', ocppFrames: 'ocpp-frames' },
          maxBytesPerPartition: 1_048_576,
          maxBytes: 8_388_608,
          startRetryMaxMs: 30_000,
          lagRefreshMs: 15_000,
          connection: {},
        },
        ingest: { maxMessageBytes: 1_048_576, inFlight: 32, verifyThreads: 0, stateCacheEntries: 250_000, recordRetryMaxMs: 10_000, keyRefreshMs: 5_000 },
        health: { host: '0.0.0.0', port: 9101 },
        metrics: { host: '0.0.0.0', port: 9464 },
        log: { level: 'info' },
        shutdown: { graceMs: 25_000 },
        ledger: { store: 'postgres', environment: { LEDGER_STORE: 'postgres', DATABASE_URL: 'postgresql://db' }, description: 'postgres db, schema ledger', evidence: { checkpointPolicy: { everyEvents: 10_000, everyMinutes: 60 } } },
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
      KAFKA_TOPIC_OCPP_FRAMES: 'frames',
      KAFKA_FETCH_MAX_BYTES_PER_PARTITION: '2097152',
      KAFKA_FETCH_MAX_BYTES: '4194304',
      INGEST_MAX_MESSAGE_BYTES: '65536',
      INGEST_IN_FLIGHT: '4',
      INGEST_VERIFY_THREADS: '2',
      INGEST_STATE_CACHE_ENTRIES: '20000',
      INGEST_HEALTH_PORT: '0',
      INGEST_HEALTH_HOST: '127.0.0.1',
      INGEST_LAG_REFRESH_MS: '1000',
      METRICS_PORT: '0',
      METRICS_HOST: '127.0.0.1',
      LOG_LEVEL: 'debug',
      SHUTDOWN_GRACE_MS: '5000',
    });
    expect(r.ok && r.config).toMatchObject({
      kafka: { brokers: ['k1:9092', 'k2:9092'], groupId: 'ingest-a', topics: { datasets: 'ds', metrologyLog: 'log', faults: 'faults', ocppFrames: 'frames' }, maxBytesPerPartition: 2_097_152, maxBytes: 4_194_304, lagRefreshMs: 1_000 },
      ingest: { maxMessageBytes: 65_536, inFlight: 4, verifyThreads: 2, stateCacheEntries: 20_000 },
      health: { host: '127.0.0.1', port: 0 },
      metrics: { host: '127.0.0.1', port: 0 },
      log: { level: 'debug' },
      shutdown: { graceMs: 5_000 },
    });
  });

  it('reports every problem at once, naming the variable, the rule and the value', () => {
    const r = loadIngestConfig({
      KAFKA_TOPIC_FAULTS: 'station faults',
      INGEST_IN_FLIGHT: 'many',
      INGEST_VERIFY_THREADS: '-1',
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
      'INGEST_VERIFY_THREADS must be a whole number from 0 to 256; got "-1"',
      'INGEST_HEALTH_PORT must be a whole number from 0 to 65535; got "70000"',
      expect.stringMatching(/^REGISTER_KEYS_FROM_MANIFEST is set, but the service no longer registers keys/),
      'LEDGER_STORE must be sqlite, postgres or kurrentdb; got "mongo"',
    ]);
    expect(describeConfigProblems(problems).split('\n')).toHaveLength(9);
  });

  it('checks settings against each other', () => {
    const r = loadIngestConfig({ KAFKA_BROKERS: 'k:1', KAFKA_TOPIC_FAULTS: 'ocmf-datasets', KAFKA_FETCH_MAX_BYTES: '65536', LEDGER_STORE: 'kurrentdb' });
    expect(r.ok ? [] : r.problems).toEqual([
      'KAFKA_TOPIC_DATASETS, KAFKA_TOPIC_METROLOGY_LOG, KAFKA_TOPIC_FAULTS and KAFKA_TOPIC_OCPP_FRAMES must name four different topics; got ocmf-datasets, metrology-log, ocmf-datasets, ocpp-frames',
      'KAFKA_FETCH_MAX_BYTES (65536) must be at least KAFKA_FETCH_MAX_BYTES_PER_PARTITION (1048576)',
      'LEDGER_STORE=kurrentdb needs EVENTSTORE_URL (e.g. kurrentdb://localhost:2113?tls=false)',
    ]);
  });

  it('takes an empty variable as unset', () => {
    expect(loadIngestConfig({ KAFKA_BROKERS: 'k:1', INGEST_IN_FLIGHT: '' })).toMatchObject({ ok: true, config: { ingest: { inFlight: 32 } } });
    expect(loadIngestConfig({ KAFKA_BROKERS: ' ' }).ok).toBe(false);
  });

  it('checks the operability settings', () => {
    const r = loadIngestConfig({ KAFKA_BROKERS: 'k:1', METRICS_PORT: '9101', LOG_LEVEL: 'loud', SHUTDOWN_GRACE_MS: '999', INGEST_LAG_REFRESH_MS: '5' });
    expect(r.ok ? [] : r.problems).toEqual([
      'INGEST_LAG_REFRESH_MS must be a whole number from 1000 to 600000; got "5"',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got "loud"',
      'SHUTDOWN_GRACE_MS must be a whole number from 1000 to 600000; got "999"',
      'INGEST_HEALTH_PORT and METRICS_PORT must differ; both are 9101',
    ]);
  });

  it('passes the ledger store validated values: a PostgreSQL URL built from the PG* variables, the password read from PGPASSWORD_FILE', () => {
    const files: Record<string, string> = { '/run/secrets/pg': 'pa:ss@w/rd%\n' };
    const read = (path: string) => {
      if (!(path in files)) throw Object.assign(new Error('no such file'), { code: 'ENOENT' });
      return files[path];
    };
    const r = loadIngestConfig(
      { KAFKA_BROKERS: 'k:1', LEDGER_STORE: 'postgres', LEDGER_PG_SCHEMA: 'e2e_1', PGHOST: '10.0.0.7', PGPORT: '5433', PGUSER: 'ingest', PGDATABASE: 'ledger', PGPASSWORD_FILE: '/run/secrets/pg', PGSSLMODE: 'require' },
      read,
    );
    expect(r.ok && r.config.ledger).toEqual({
      store: 'postgres',
      environment: { LEDGER_STORE: 'postgres', LEDGER_PG_SCHEMA: 'e2e_1', DATABASE_URL: 'postgresql://ingest:pa%3Ass%40w%2Frd%25@10.0.0.7:5433/ledger?sslmode=require' },
      description: 'postgres 10.0.0.7:5433/ledger, schema e2e_1',
      evidence: { checkpointPolicy: { everyEvents: 10_000, everyMinutes: 60 } },
    });
  });

  it('names the secret file it cannot read, and never shows a secret value', () => {
    const secret = 'hunter2-never-shown';
    const r = loadIngestConfig(
      { KAFKA_BROKERS: 'k:1', LEDGER_STORE: 'postgres', DATABASE_URL: `mysql://u:${secret}@h/db`, PGPASSWORD: secret, PGPASSWORD_FILE: '/nowhere', EVENTSTORE_URL_FILE: '/missing' },
      () => {
        throw Object.assign(new Error('ENOENT: no such file'), { code: 'ENOENT' });
      },
    );
    const problems = r.ok ? [] : r.problems;
    expect(problems).toEqual([
      'DATABASE_URL must be a postgres:// or postgresql:// URL (its value is not shown: it may hold a password)',
      'PGPASSWORD and PGPASSWORD_FILE are both set: set one of them',
      'EVENTSTORE_URL_FILE: cannot read "/missing" (ENOENT)',
    ]);
    expect(describeConfigProblems(problems)).not.toContain(secret);
  });

  it('lists every variable it reads, with required and secret flags, for the manifests', () => {
    const byName = new Map(INGEST_CONFIG_VARIABLES.map((v) => [v.name, v]));
    expect(INGEST_CONFIG_VARIABLES.filter((v) => v.required).map((v) => v.name)).toEqual(['KAFKA_BROKERS']);
    expect(INGEST_CONFIG_VARIABLES.filter((v) => v.secret).map((v) => v.name)).toEqual(['KAFKA_SASL_PASSWORD', 'DATABASE_URL', 'PGPASSWORD', 'LEDGER_SIGNING_KEY', 'EVENTSTORE_URL']);
    expect(byName.get('PGPASSWORD')).toEqual({ name: 'PGPASSWORD', required: false, secret: true, file: 'PGPASSWORD_FILE' });
    expect(byName.get('PGPASSWORD_FILE')).toEqual({ name: 'PGPASSWORD_FILE', required: false, secret: false, fileFor: 'PGPASSWORD' });
    for (const name of ['INGEST_HEALTH_PORT', 'METRICS_PORT', 'LOG_LEVEL', 'SHUTDOWN_GRACE_MS', 'LEDGER_STORE', 'LEDGER_PG_SCHEMA', 'PGHOST']) expect(byName.get(name)).toMatchObject({ required: false, secret: false });
    expect(byName.has('REGISTER_KEYS_FROM_MANIFEST')).toBe(false);
    // Every listed variable is one the loader reads: a bad value of each is reported by name.
    for (const v of INGEST_CONFIG_VARIABLES.filter((x) => !x.fileFor)) {
      const r = loadIngestConfig({ KAFKA_BROKERS: 'k:1', [v.name]: 'not valid here \u0000 !' });
      expect({ name: v.name, reported: !r.ok && r.problems.some((p) => p.startsWith(v.name)) }).toEqual({ name: v.name, reported: true });
    }
  });

  it('is the only reader of process.env: main.ts passes it in, no other file of the service reads it', () => {
    const src = join(__dirname, '..');
    const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
    const readers = files(src)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts'))
      .filter((f) => /process\.env\b/.test(readFileSync(f, 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '')))
      .map((f) => relative(src, f));
    expect(readers).toEqual(['main.ts']);
  });
});
