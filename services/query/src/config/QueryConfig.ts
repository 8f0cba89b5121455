import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { IsDefined, IsIn, IsOptional, Matches, ValidateBy, validateSync } from 'class-validator';
import { CredentialConfigError, CredentialStore } from '../auth/Credential';
import { configVariablesOf, type ConfigVariable } from '@metrology-ledger/service-runtime';
import { IsWholeNumber } from '@metrology-ledger/service-runtime';
import { LedgerStoreEnvironment, ledgerStoreProblems, ledgerStoreSettings, postgresUrl, type LedgerStoreSettings } from '@metrology-ledger/ledger';
import { readSecretFiles, type ReadText } from '@metrology-ledger/service-runtime';
import { Secret } from '@metrology-ledger/service-runtime';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where the sessions read model lives. */
export type ReadModelSettings = { kind: 'sqlite'; file: string } | { kind: 'postgres'; connectionString: string; schema: string };

/** The OCPI 2.2.1 CPO module (src/ocpi): present when OCPI_PUBLIC_URL is set. */
export interface OcpiConfig {
  /** Where eMSPs reach this service (the versions and endpoint URLs we hand out start with it). */
  publicUrl: string;
  countryCode: string;
  partyId: string;
  businessName: string;
  currency: string;
  /** The OCPI state (credentials, outbox): same kind of store as the read model, never the read model's own file or schema. */
  store: { kind: 'sqlite'; file: string } | { kind: 'postgres'; connectionString: string; schema: string };
  intervalMs: number;
  retryMinMs: number;
  retryMaxMs: number;
  /** OCPI_TOKEN_KEY: seals the eMSPs' tokens (B) in the store; a secret. */
  tokenKey?: string;
}

/** The query service's settings: read once from the environment (main.ts) and passed to every part. */
export interface QueryConfig {
  /** The API, `/verify` and `/health/*`. */
  http: {
    host: string;
    port: number;
    /** Express `trust proxy`: `true`, a hop count, or addresses/subnets; unset: no proxy. */
    trustProxy?: boolean | number | string;
  };
  /** The text of QUERY_API_KEYS (or of the file QUERY_API_KEYS_FILE names): a secret, never logged. */
  apiKeys: string;
  readModel: ReadModelSettings;
  /** How often the read model takes the ledger's new events, ms. */
  refreshMs: number;
  /** Prometheus `/metrics`, on a port of its own. */
  metrics: { host: string; port: number };
  log: { level: LogLevel };
  /** SIGTERM/SIGINT: how long finishing requests and closing may take, ms. */
  shutdown: { graceMs: number };
  /** The ledger store, from validated values (holds secrets: never log `environment`). */
  ledger: LedgerStoreSettings;
  /** OCPI, when OCPI_PUBLIC_URL is set. */
  ocpi?: OcpiConfig;
  /** QUERY_RECEIPT_KEY: signs receipt links (a secret); unset, links work until the process stops. */
  receiptKey?: string;
}

export type QueryConfigResult = { ok: true; config: QueryConfig } | { ok: false; problems: string[] };

/** What the settings are read for: the service, or the read-model rebuild (which needs no API keys). */
export type QueryConfigPurpose = 'serve' | 'rebuild';

const HOST = /^[A-Za-z0-9.:_-]{1,253}$/;
const host = { message: (a: { property: string; value: unknown }) => `${a.property} must be a host name or address; got ${JSON.stringify(a.value)}` };

/** The API keys parse (CredentialStore's rules); the message names an entry by its position, never a key. */
function AreApiKeys(): PropertyDecorator {
  const problem = (value: unknown): string | undefined => {
    try {
      return CredentialStore.fromEnvironment(String(value)).size === 0 ? 'QUERY_API_KEYS holds no entry, so no one could be authenticated (e.g. QUERY_API_KEYS="<key>=emsp:DE-EMP-ALPHA;<key>=auditor")' : undefined;
    } catch (e) {
      if (e instanceof CredentialConfigError) return e.message;
      throw e;
    }
  };
  return ValidateBy({ name: 'areApiKeys', validator: { validate: (value) => problem(value) === undefined, defaultMessage: (a) => problem(a?.value) ?? 'QUERY_API_KEYS is not valid' } });
}

/**
 * The environment variables, as class-validator rules: the one source of what the service reads
 * (QUERY_CONFIG_VARIABLES is derived from it). Unset and empty are the same: the default.
 */
export class QueryEnvironment extends LedgerStoreEnvironment {
  @Secret({ file: true })
  @IsDefined({ message: 'QUERY_API_KEYS is not set (nor QUERY_API_KEYS_FILE): entries <key>=emsp:<eMSP id>, <key>=auditor or <key>=operator separated by ";"' })
  @AreApiKeys()
  QUERY_API_KEYS!: string;

  @IsOptional() @IsWholeNumber(0, 65_535) QUERY_PORT?: string;
  @IsOptional() @Matches(HOST, host) QUERY_HOST?: string;
  @IsOptional()
  @Matches(/^[A-Za-z0-9.:/, ]{1,1000}$/, { message: (a) => `QUERY_TRUST_PROXY must be true, false, a hop count, or addresses/subnets separated by commas (as Express takes them); got ${JSON.stringify(a.value)}` })
  QUERY_TRUST_PROXY?: string;

  @IsOptional() @IsIn(['sqlite', 'postgres'], { message: (a) => `QUERY_READ_MODEL must be sqlite or postgres; got ${JSON.stringify(a.value)}` }) QUERY_READ_MODEL?: string;
  @IsOptional() @Matches(/^[^\0]{1,4096}$/, { message: 'QUERY_READ_MODEL_FILE must be a file path' }) QUERY_READ_MODEL_FILE?: string;
  @IsOptional()
  @Matches(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, { message: (a) => `QUERY_PG_SCHEMA must be a PostgreSQL schema name (letters, digits, _; at most 63); got ${JSON.stringify(a.value)}` })
  QUERY_PG_SCHEMA?: string;
  @IsOptional() @IsWholeNumber(100, 3_600_000) QUERY_REFRESH_MS?: string;

  @IsOptional() @IsWholeNumber(0, 65_535) METRICS_PORT?: string;
  @IsOptional() @Matches(HOST, host) METRICS_HOST?: string;
  @IsOptional() @IsIn([...LOG_LEVELS], { message: (a) => `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got ${JSON.stringify(a.value)}` }) LOG_LEVEL?: string;
  @IsOptional() @IsWholeNumber(1_000, 600_000) SHUTDOWN_GRACE_MS?: string;

  @Secret({ file: true })
  @IsOptional()
  @Matches(/^[\x21-\x7e]{32,512}$/, { message: 'QUERY_RECEIPT_KEY must be 32-512 printable ASCII characters without spaces (e.g. openssl rand -base64 32)' })
  QUERY_RECEIPT_KEY?: string;

  @IsOptional()
  @Matches(/^https?:\/\/[^\s/?#]{1,253}(\/[^\s?#]{0,200})?$/, { message: (a) => `OCPI_PUBLIC_URL must be the http(s) URL eMSPs reach this service at, without query or trailing path parameters; got ${JSON.stringify(String(a.value).slice(0, 100))}` })
  OCPI_PUBLIC_URL?: string;
  @Secret({ file: true })
  @IsOptional()
  @Matches(/^[\x21-\x7e]{32,512}$/, { message: 'OCPI_TOKEN_KEY must be 32-512 printable ASCII characters without spaces (e.g. openssl rand -base64 32)' })
  OCPI_TOKEN_KEY?: string;
  @IsOptional() @Matches(/^[A-Z]{2}$/, { message: (a) => `OCPI_COUNTRY_CODE must be an ISO 3166 alpha-2 code in capitals (DE); got ${JSON.stringify(a.value)}` }) OCPI_COUNTRY_CODE?: string;
  @IsOptional() @Matches(/^[A-Z0-9]{3}$/, { message: (a) => `OCPI_PARTY_ID must be 3 capital letters or digits (ISO 15118); got ${JSON.stringify(a.value)}` }) OCPI_PARTY_ID?: string;
  @IsOptional() @Matches(/^[^\0]{1,100}$/, { message: 'OCPI_BUSINESS_NAME must be 1-100 characters' }) OCPI_BUSINESS_NAME?: string;
  @IsOptional() @Matches(/^[A-Z]{3}$/, { message: (a) => `OCPI_CURRENCY must be an ISO 4217 code (EUR); got ${JSON.stringify(a.value)}` }) OCPI_CURRENCY?: string;
  @IsOptional() @Matches(/^[^\0]{1,4096}$/, { message: 'OCPI_STORE_FILE must be a file path' }) OCPI_STORE_FILE?: string;
  @IsOptional()
  @Matches(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, { message: (a) => `OCPI_PG_SCHEMA must be a PostgreSQL schema name (letters, digits, _; at most 63); got ${JSON.stringify(a.value)}` })
  OCPI_PG_SCHEMA?: string;
  @IsOptional() @IsWholeNumber(100, 3_600_000) OCPI_PUSH_INTERVAL_MS?: string;
  @IsOptional() @IsWholeNumber(100, 86_400_000) OCPI_RETRY_MIN_MS?: string;
  @IsOptional() @IsWholeNumber(100, 86_400_000) OCPI_RETRY_MAX_MS?: string;
}

/**
 * Every environment variable the service reads, whether it must be set, and whether it is a secret,
 * derived from QueryEnvironment: for the deployment manifests' drift check (tools/manifests).
 */
export const QUERY_CONFIG_VARIABLES: ConfigVariable[] = configVariablesOf(QueryEnvironment);

/** The grace period under Kubernetes' default 30 s `terminationGracePeriodSeconds`. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 25_000;

/**
 * Reads and checks the service's settings from an environment (process.env, passed in by main.ts
 * and rebuildMain.ts: no other file reads it) and the secret files it names. Every problem is
 * reported at once, each naming the variable, the rule and the value given (never a secret's value).
 */
export function loadQueryConfig(
  environment: Readonly<Record<string, string | undefined>>,
  options: { purpose?: QueryConfigPurpose; readText?: ReadText; cwd?: string } = {},
): QueryConfigResult {
  const purpose = options.purpose ?? 'serve';
  const given = Object.fromEntries(Object.entries(environment).filter((e): e is [string, string] => typeof e[1] === 'string' && e[1].trim() !== ''));
  const files = readSecretFiles(given, QueryEnvironment, options.readText ?? ((path) => readFileSync(path, 'utf8')));
  const env = plainToInstance(QueryEnvironment, files.values, { excludeExtraneousValues: false });
  const errors = validateSync(env, { stopAtFirstError: true }).filter((e) => purpose === 'serve' || e.property !== 'QUERY_API_KEYS');
  const problems = [...errors.flatMap((e) => Object.values(e.constraints ?? {})), ...files.problems];
  problems.push(...ledgerStoreProblems(env));
  const number = (value: string | undefined, fallback: number) => (value === undefined ? fallback : Number(value));
  const http = { host: env.QUERY_HOST ?? '127.0.0.1', port: number(env.QUERY_PORT, 3000) };
  const metrics = { host: env.METRICS_HOST ?? '0.0.0.0', port: number(env.METRICS_PORT, 9464) };
  if (http.port !== 0 && http.port === metrics.port) problems.push(`QUERY_PORT and METRICS_PORT must differ; both are ${http.port}`);
  if (env.OCPI_PUBLIC_URL !== undefined) {
    if (env.OCPI_COUNTRY_CODE === undefined) problems.push('OCPI_COUNTRY_CODE is not set: with OCPI_PUBLIC_URL, OCPI needs this CPO\'s country code (DE)');
    if (env.OCPI_PARTY_ID === undefined) problems.push('OCPI_PARTY_ID is not set: with OCPI_PUBLIC_URL, OCPI needs this CPO\'s party id (3 characters)');
  }
  if (number(env.OCPI_RETRY_MIN_MS, 30_000) > number(env.OCPI_RETRY_MAX_MS, 3_600_000)) problems.push('OCPI_RETRY_MIN_MS must not be larger than OCPI_RETRY_MAX_MS');
  if (env.QUERY_READ_MODEL === 'postgres' && (env.OCPI_PG_SCHEMA ?? 'ocpi') === (env.QUERY_PG_SCHEMA ?? 'query')) problems.push('OCPI_PG_SCHEMA must differ from QUERY_PG_SCHEMA: the read model\'s schema is dropped to rebuild it, the OCPI state cannot be rebuilt');
  if (env.OCPI_STORE_FILE !== undefined && env.OCPI_STORE_FILE === env.QUERY_READ_MODEL_FILE) problems.push('OCPI_STORE_FILE must differ from QUERY_READ_MODEL_FILE: the read model\'s file is deleted to rebuild it, the OCPI state cannot be rebuilt');
  if (problems.length > 0) return { ok: false, problems };

  const readModel: ReadModelSettings =
    env.QUERY_READ_MODEL === 'postgres'
      ? { kind: 'postgres', connectionString: postgresUrl(env).toString(), schema: env.QUERY_PG_SCHEMA ?? 'query' }
      : { kind: 'sqlite', file: env.QUERY_READ_MODEL_FILE ?? join(options.cwd ?? process.cwd(), '.data', 'query.sqlite') };
  return {
    ok: true,
    config: {
      http: { ...http, ...(env.QUERY_TRUST_PROXY !== undefined ? { trustProxy: trustProxy(env.QUERY_TRUST_PROXY) } : {}) },
      apiKeys: env.QUERY_API_KEYS ?? '',
      readModel,
      refreshMs: number(env.QUERY_REFRESH_MS, 2_000),
      metrics,
      log: { level: (env.LOG_LEVEL ?? 'info') as LogLevel },
      shutdown: { graceMs: number(env.SHUTDOWN_GRACE_MS, DEFAULT_SHUTDOWN_GRACE_MS) },
      ledger: ledgerStoreSettings(env),
      ...(env.OCPI_PUBLIC_URL !== undefined ? { ocpi: ocpiConfig(env, readModel, options.cwd) } : {}),
      ...(env.QUERY_RECEIPT_KEY !== undefined ? { receiptKey: env.QUERY_RECEIPT_KEY } : {}),
    },
  };
}

function ocpiConfig(env: QueryEnvironment, readModel: ReadModelSettings, cwd = process.cwd()): OcpiConfig {
  const number = (value: string | undefined, fallback: number) => (value === undefined ? fallback : Number(value));
  return {
    publicUrl: env.OCPI_PUBLIC_URL!.replace(/\/+$/, ''),
    countryCode: env.OCPI_COUNTRY_CODE!,
    partyId: env.OCPI_PARTY_ID!,
    businessName: env.OCPI_BUSINESS_NAME ?? 'Charge point operator',
    currency: env.OCPI_CURRENCY ?? 'EUR',
    store:
      readModel.kind === 'postgres'
        ? { kind: 'postgres', connectionString: readModel.connectionString, schema: env.OCPI_PG_SCHEMA ?? 'ocpi' }
        : { kind: 'sqlite', file: env.OCPI_STORE_FILE ?? join(cwd, '.data', 'ocpi.sqlite') },
    intervalMs: number(env.OCPI_PUSH_INTERVAL_MS, 5_000),
    retryMinMs: number(env.OCPI_RETRY_MIN_MS, 30_000),
    retryMaxMs: number(env.OCPI_RETRY_MAX_MS, 3_600_000),
    ...(env.OCPI_TOKEN_KEY !== undefined ? { tokenKey: env.OCPI_TOKEN_KEY } : {}),
  };
}

/** QUERY_TRUST_PROXY as Express takes it: `true`/`false`, a hop count, or the addresses as given. */
function trustProxy(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** One message listing every problem, for the log line the service stops with. */
export function describeConfigProblems(problems: string[]): string {
  return `not starting: ${problems.length === 1 ? 'one setting needs' : `${problems.length} settings need`} fixing (see services/query/README.md, "Settings"):\n${problems.map((p) => `  - ${p}`).join('\n')}`;
}
