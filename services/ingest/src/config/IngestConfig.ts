import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { plainToInstance } from 'class-transformer';
import { IsDefined, IsIn, IsOptional, IsString, Matches, ValidateBy, validateSync } from 'class-validator';
import { DEFAULT_EXCERPT_BYTES, DEFAULT_MAX_MESSAGE_BYTES } from '../application/IngestPipeline';
import type { KafkaSettings } from '../infrastructure/IngestKafkaServer';
import { DEFAULT_IN_FLIGHT } from '../infrastructure/MessageIntake';
import { DEFAULT_TOPICS } from '../infrastructure/Topics';
import { configVariablesOf, type ConfigVariable } from '@metrology-ledger/service-runtime';
import { IsWholeNumber } from '@metrology-ledger/service-runtime';
import { DEFAULT_MAX_CACHED_ENTRIES, LedgerStoreEnvironment, ledgerStoreProblems, ledgerStoreSettings, type LedgerStoreSettings } from '@metrology-ledger/ledger';
import { readSecretFiles, Secret, type ReadText } from '@metrology-ledger/service-runtime';
import { kafkaConnectionOf } from '@metrology-ledger/service-runtime';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** The ingest service's settings: read once from the environment (main.ts) and passed to every part. */
export interface IngestConfig {
  kafka: KafkaSettings & {
    /** Longest pause between attempts to reach a broker that is not ready, ms. */
    startRetryMaxMs: number;
    /** How often the consumer group's lag is read from the brokers for the metrics, ms. */
    lagRefreshMs: number;
  };
  ingest: {
    /** Messages over this many bytes are rejected as too-large (an excerpt is kept). */
    maxMessageBytes: number;
    /** Messages in flight at once. */
    inFlight: number;
    /** Worker threads checking signatures; 0: in the consuming thread. */
    verifyThreads: number;
    /** How many entries of the streams' decision state the ledger keeps in memory (the rest is folded from the store when needed). */
    stateCacheEntries: number;
    /** Longest pause between attempts to record a message the ledger could not take, ms. */
    recordRetryMaxMs: number;
    /** How often the key registry is reloaded from the store, ms. */
    keyRefreshMs: number;
  };
  /** `/health/live` and `/health/ready`. */
  health: { host: string; port: number };
  /** Prometheus `/metrics`, on a port of its own. */
  metrics: { host: string; port: number };
  log: { level: LogLevel };
  /** SIGTERM/SIGINT: how long draining, committing and closing may take before the process gives up, ms. */
  shutdown: { graceMs: number };
  /** The ledger store, from validated values (holds secrets: never log `environment`). */
  ledger: LedgerStoreSettings;
}

export type IngestConfigResult = { ok: true; config: IngestConfig } | { ok: false; problems: string[] };

const MiB = 1024 * 1024;
const KAFKA_NAME = /^[A-Za-z0-9._-]{1,249}$/;
const BROKER_LIST = /^[^\s,:]+:\d{1,5}(,[^\s,:]+:\d{1,5})*$/;
const HOST = /^[A-Za-z0-9.:_-]{1,253}$/;

const kafkaName = (what: string) => ({ message: (a: { property: string; value: unknown }) => `${a.property} must be a Kafka ${what} (1-249 letters, digits, . _ -); got ${JSON.stringify(a.value)}` });
const host = { message: (a: { property: string; value: unknown }) => `${a.property} must be a host name or address; got ${JSON.stringify(a.value)}` };

/**
 * The environment variables, as class-validator rules: the one source of what the service reads
 * (INGEST_CONFIG_VARIABLES is derived from it). Unset and empty are the same: the default.
 */
export class IngestEnvironment extends LedgerStoreEnvironment {
  @IsDefined({ message: 'KAFKA_BROKERS is not set: the brokers as host:port[,host:port…], e.g. 127.0.0.1:19092 (scripts/kafka.sh); for one machine without Kafka, run `npm start`' })
  @Matches(BROKER_LIST, { message: (a) => `KAFKA_BROKERS must be host:port[,host:port…]; got ${JSON.stringify(a.value)}` })
  KAFKA_BROKERS!: string;

  @IsOptional() @Matches(KAFKA_NAME, kafkaName('client id')) KAFKA_CLIENT_ID?: string;
  @IsOptional() @Matches(KAFKA_NAME, kafkaName('group id')) KAFKA_GROUP_ID?: string;
  @IsOptional() @Matches(KAFKA_NAME, kafkaName('topic name')) KAFKA_TOPIC_DATASETS?: string;
  @IsOptional() @Matches(KAFKA_NAME, kafkaName('topic name')) KAFKA_TOPIC_METROLOGY_LOG?: string;
  @IsOptional() @Matches(KAFKA_NAME, kafkaName('topic name')) KAFKA_TOPIC_FAULTS?: string;
  @IsOptional() @Matches(KAFKA_NAME, kafkaName('topic name')) KAFKA_TOPIC_OCPP_FRAMES?: string;
  @IsOptional() @IsWholeNumber(64 * 1024, 256 * MiB) KAFKA_FETCH_MAX_BYTES_PER_PARTITION?: string;
  @IsOptional() @IsWholeNumber(64 * 1024, 1024 * MiB) KAFKA_FETCH_MAX_BYTES?: string;
  @IsOptional() @IsWholeNumber(100, 600_000) KAFKA_START_RETRY_MAX_MS?: string;
  // SASL and TLS (kafkaConnectionOf checks them together; the password is never shown).
  @IsOptional() @IsString() KAFKA_SASL_MECHANISM?: string;
  @IsOptional() @IsString() KAFKA_SASL_USERNAME?: string;
  @IsOptional() @Secret({ file: true }) @IsString({ message: 'KAFKA_SASL_PASSWORD must be a string' }) KAFKA_SASL_PASSWORD?: string;
  @IsOptional() @IsString() KAFKA_SSL_CA_FILE?: string;

  @IsOptional() @IsWholeNumber(DEFAULT_EXCERPT_BYTES, 64 * MiB) INGEST_MAX_MESSAGE_BYTES?: string;
  @IsOptional() @IsWholeNumber(1, 1024) INGEST_IN_FLIGHT?: string;
  @IsOptional() @IsWholeNumber(1_000, 100_000_000) INGEST_STATE_CACHE_ENTRIES?: string;
  @IsOptional() @IsWholeNumber(0, 256) INGEST_VERIFY_THREADS?: string;
  @IsOptional() @IsWholeNumber(100, 600_000) INGEST_RECORD_RETRY_MAX_MS?: string;
  @IsOptional() @IsWholeNumber(100, 3_600_000) INGEST_KEY_REFRESH_MS?: string;
  @IsOptional() @IsWholeNumber(1_000, 600_000) INGEST_LAG_REFRESH_MS?: string;
  @IsOptional() @IsWholeNumber(0, 65_535) INGEST_HEALTH_PORT?: string;
  @IsOptional() @Matches(HOST, host) INGEST_HEALTH_HOST?: string;

  @IsOptional() @IsWholeNumber(0, 65_535) METRICS_PORT?: string;
  @IsOptional() @Matches(HOST, host) METRICS_HOST?: string;
  @IsOptional() @IsIn([...LOG_LEVELS], { message: (a) => `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got ${JSON.stringify(a.value)}` }) LOG_LEVEL?: string;
  @IsOptional() @IsWholeNumber(1_000, 600_000) SHUTDOWN_GRACE_MS?: string;

  @IsOptional()
  @ValidateBy({
    name: 'retired',
    validator: { validate: () => false, defaultMessage: () => 'REGISTER_KEYS_FROM_MANIFEST is set, but the service no longer registers keys: simulated keys are registered by the test and demo tooling (tools/pipeline), real ones by the operator' },
  })
  REGISTER_KEYS_FROM_MANIFEST?: string;
}

/**
 * Every environment variable the service reads, whether it must be set, and whether it is a secret,
 * derived from IngestEnvironment: for the deployment manifests' drift check (tools/manifests).
 */
export const INGEST_CONFIG_VARIABLES: ConfigVariable[] = configVariablesOf(IngestEnvironment).filter((v) => v.name !== 'REGISTER_KEYS_FROM_MANIFEST');

/** The grace period under Kubernetes' default 30 s `terminationGracePeriodSeconds`. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 25_000;

/**
 * Reads and checks the service's settings from an environment (process.env, passed in by main.ts:
 * no other file reads it) and the secret files it names. Every problem is reported at once, each
 * naming the variable, the rule and the value given (never a secret's value).
 */
export function loadIngestConfig(environment: Readonly<Record<string, string | undefined>>, readText: ReadText = (path) => readFileSync(path, 'utf8')): IngestConfigResult {
  const given = Object.fromEntries(Object.entries(environment).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].trim() !== ''));
  const files = readSecretFiles(given, IngestEnvironment, readText);
  const env = plainToInstance(IngestEnvironment, files.values, { excludeExtraneousValues: false });
  const problems = [...validateSync(env, { stopAtFirstError: true }).flatMap((e) => Object.values(e.constraints ?? {})), ...files.problems];
  const number = (value: string | undefined, fallback: number) => (value === undefined ? fallback : Number(value));

  const topics = {
    datasets: env.KAFKA_TOPIC_DATASETS ?? DEFAULT_TOPICS.datasets,
    metrologyLog: env.KAFKA_TOPIC_METROLOGY_LOG ?? DEFAULT_TOPICS.metrologyLog,
    faults: env.KAFKA_TOPIC_FAULTS ?? DEFAULT_TOPICS.faults,
    ocppFrames: env.KAFKA_TOPIC_OCPP_FRAMES ?? DEFAULT_TOPICS.ocppFrames,
  };
  if (new Set(Object.values(topics)).size < 4)
    problems.push(`KAFKA_TOPIC_DATASETS, KAFKA_TOPIC_METROLOGY_LOG, KAFKA_TOPIC_FAULTS and KAFKA_TOPIC_OCPP_FRAMES must name four different topics; got ${Object.values(topics).join(', ')}`);
  const maxBytesPerPartition = number(env.KAFKA_FETCH_MAX_BYTES_PER_PARTITION, MiB);
  const maxBytes = number(env.KAFKA_FETCH_MAX_BYTES, 8 * MiB);
  if (maxBytes < maxBytesPerPartition) problems.push(`KAFKA_FETCH_MAX_BYTES (${maxBytes}) must be at least KAFKA_FETCH_MAX_BYTES_PER_PARTITION (${maxBytesPerPartition})`);
  const kafkaConnection = kafkaConnectionOf(env, readText);
  problems.push(...kafkaConnection.problems);
  problems.push(...ledgerStoreProblems(env));
  const health = { host: env.INGEST_HEALTH_HOST ?? '0.0.0.0', port: number(env.INGEST_HEALTH_PORT, 9101) };
  const metrics = { host: env.METRICS_HOST ?? '0.0.0.0', port: number(env.METRICS_PORT, 9464) };
  if (health.port !== 0 && health.port === metrics.port) problems.push(`INGEST_HEALTH_PORT and METRICS_PORT must differ; both are ${health.port}`);
  if (problems.length > 0) return { ok: false, problems };

  return {
    ok: true,
    config: {
      kafka: {
        brokers: env.KAFKA_BROKERS.split(','),
        clientId: env.KAFKA_CLIENT_ID ?? 'metrology-ingest',
        groupId: env.KAFKA_GROUP_ID ?? 'metrology-ingest',
        topics,
        maxBytesPerPartition,
        maxBytes,
        startRetryMaxMs: number(env.KAFKA_START_RETRY_MAX_MS, 30_000),
        lagRefreshMs: number(env.INGEST_LAG_REFRESH_MS, 15_000),
        connection: kafkaConnection.connection,
      },
      ingest: {
        maxMessageBytes: number(env.INGEST_MAX_MESSAGE_BYTES, DEFAULT_MAX_MESSAGE_BYTES),
        inFlight: number(env.INGEST_IN_FLIGHT, DEFAULT_IN_FLIGHT),
        verifyThreads: number(env.INGEST_VERIFY_THREADS, 0),
        stateCacheEntries: number(env.INGEST_STATE_CACHE_ENTRIES, DEFAULT_MAX_CACHED_ENTRIES),
        recordRetryMaxMs: number(env.INGEST_RECORD_RETRY_MAX_MS, 10_000),
        keyRefreshMs: number(env.INGEST_KEY_REFRESH_MS, 5_000),
      },
      health,
      metrics,
      log: { level: (env.LOG_LEVEL ?? 'info') as LogLevel },
      shutdown: { graceMs: number(env.SHUTDOWN_GRACE_MS, DEFAULT_SHUTDOWN_GRACE_MS) },
      ledger: ledgerStoreSettings(env),
    },
  };
}

/** One message listing every problem, for the log line the service stops with. */
export function describeConfigProblems(problems: string[]): string {
  return `not starting: ${problems.length === 1 ? 'one setting needs' : `${problems.length} settings need`} fixing (see services/ingest/README.md, "Settings"):\n${problems.map((p) => `  - ${p}`).join('\n')}`;
}
