import { IsIn, IsOptional, Matches } from 'class-validator';
import { IsWholeNumber, Secret } from '@metrology-ledger/service-runtime';

export type LedgerStoreKind = 'sqlite' | 'postgres' | 'kurrentdb';

/** The ledger store as the service opens it: validated values only, nothing read from elsewhere. */
export interface LedgerStoreSettings {
  store: LedgerStoreKind;
  /**
   * The environment-like object handed to the ledger's `openEventStore`: `LEDGER_STORE`,
   * `LEDGER_SQLITE_FILE`, `LEDGER_PG_SCHEMA`, `DATABASE_URL` (built from the `PG*` settings, the
   * password from `PGPASSWORD` or `PGPASSWORD_FILE`) and `EVENTSTORE_URL`. Holds secrets: never log it.
   */
  environment: Readonly<Record<string, string>>;
  /** For log lines: the store and where it is, without user or password. */
  description: string;
  /** The ledger's own signing key (PEM, a secret: never log it) and when it signs checkpoints by itself. */
  evidence: { signingKeyPem?: string; checkpointPolicy: { everyEvents: number; everyMinutes: number } };
}

const SSL_MODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full', 'no-verify'];
const notShown = 'its value is not shown: it may hold a password';

/**
 * The variables of the ledger's store, the same for every service that opens it (services/ledger's
 * `openEventStore`): which store, and where. PostgreSQL takes `DATABASE_URL` or the libpq variables
 * (`PGHOST`, `PGPORT`, `PGUSER`, `PGPASSWORD`, `PGDATABASE`, `PGSSLMODE`); where both are given, the
 * URL's parts win and the variables fill what it leaves out, as in libpq.
 */
export class LedgerStoreEnvironment {
  @IsOptional() @IsIn(['sqlite', 'postgres', 'kurrentdb'], { message: (a) => `LEDGER_STORE must be sqlite, postgres or kurrentdb; got ${JSON.stringify(a.value)}` })
  LEDGER_STORE?: string;

  @IsOptional() @Matches(/^[^\0]{1,4096}$/, { message: 'LEDGER_SQLITE_FILE must be a file path' })
  LEDGER_SQLITE_FILE?: string;

  @IsOptional() @Matches(/^[A-Za-z_][A-Za-z0-9_]{0,62}$/, { message: (a) => `LEDGER_PG_SCHEMA must be a PostgreSQL schema name (letters, digits, _; at most 63); got ${JSON.stringify(a.value)}` })
  LEDGER_PG_SCHEMA?: string;

  @Secret({ file: true })
  @IsOptional() @Matches(/^postgres(ql)?:\/\/\S+$/, { message: `DATABASE_URL must be a postgres:// or postgresql:// URL (${notShown})` })
  DATABASE_URL?: string;

  @IsOptional() @Matches(/^\S{1,255}$/, { message: (a) => `PGHOST must be a host name, an address or a socket directory; got ${JSON.stringify(a.value)}` })
  PGHOST?: string;

  @IsOptional() @IsWholeNumber(1, 65_535) PGPORT?: string;

  @IsOptional() @Matches(/^[^\0]{1,63}$/, { message: (a) => `PGUSER must be a PostgreSQL role name (at most 63 characters); got ${JSON.stringify(a.value)}` })
  PGUSER?: string;

  @Secret({ file: true })
  @IsOptional()
  @Matches(/^[^\0]{1,1024}$/, { message: 'PGPASSWORD must be at most 1024 characters without NUL (its value is not shown)' })
  PGPASSWORD?: string;

  @IsOptional() @Matches(/^[^\0]{1,63}$/, { message: (a) => `PGDATABASE must be a database name (at most 63 characters); got ${JSON.stringify(a.value)}` })
  PGDATABASE?: string;

  @IsOptional() @IsIn(SSL_MODES, { message: (a) => `PGSSLMODE must be one of ${SSL_MODES.join(', ')}; got ${JSON.stringify(a.value)}` })
  PGSSLMODE?: string;

  /** The ledger's checkpoint signing key: PEM (PKCS#8 or SEC1), Ed25519 or ECDSA P-256; best given as LEDGER_SIGNING_KEY_FILE. */
  @Secret({ file: true })
  @IsOptional()
  @Matches(/^\s*-----BEGIN (EC |)PRIVATE KEY-----[A-Za-z0-9+/=\s]+-----END (EC |)PRIVATE KEY-----\s*$/, { message: 'LEDGER_SIGNING_KEY must be a PEM private key (Ed25519 or ECDSA P-256; its value is not shown)' })
  LEDGER_SIGNING_KEY?: string;

  @IsOptional() @IsWholeNumber(1, 1_000_000_000) LEDGER_CHECKPOINT_EVERY_EVENTS?: string;
  @IsOptional() @IsWholeNumber(1, 10_080) LEDGER_CHECKPOINT_EVERY_MINUTES?: string;

  @Secret({ file: true })
  @IsOptional() @Matches(/^[a-z][a-z0-9+]*:\/\/\S+$/, { message: `EVENTSTORE_URL must be a KurrentDB connection string such as kurrentdb://host:2113?tls=false (${notShown})` })
  EVENTSTORE_URL?: string;
}

/** Rules between the store's variables; empty when they agree. */
export function ledgerStoreProblems(env: LedgerStoreEnvironment): string[] {
  return env.LEDGER_STORE === 'kurrentdb' && !env.EVENTSTORE_URL ? ['LEDGER_STORE=kurrentdb needs EVENTSTORE_URL (e.g. kurrentdb://localhost:2113?tls=false)'] : [];
}

/** The store settings from validated variables (call only when there were no problems). */
export function ledgerStoreSettings(env: LedgerStoreEnvironment): LedgerStoreSettings {
  const evidence = {
    ...(env.LEDGER_SIGNING_KEY ? { signingKeyPem: env.LEDGER_SIGNING_KEY } : {}),
    checkpointPolicy: { everyEvents: Number(env.LEDGER_CHECKPOINT_EVERY_EVENTS ?? 10_000), everyMinutes: Number(env.LEDGER_CHECKPOINT_EVERY_MINUTES ?? 60) },
  };
  return { ...storeSettings(env), evidence };
}

function storeSettings(env: LedgerStoreEnvironment): Omit<LedgerStoreSettings, 'evidence'> {
  const store = (env.LEDGER_STORE ?? 'sqlite') as LedgerStoreKind;
  const environment: Record<string, string> = { LEDGER_STORE: store };
  if (store === 'sqlite') {
    if (env.LEDGER_SQLITE_FILE) environment.LEDGER_SQLITE_FILE = env.LEDGER_SQLITE_FILE;
    return { store, environment, description: `sqlite ${env.LEDGER_SQLITE_FILE ?? '.data/ledger.sqlite'}` };
  }
  if (store === 'kurrentdb') {
    environment.EVENTSTORE_URL = env.EVENTSTORE_URL!;
    return { store, environment, description: 'kurrentdb' };
  }
  if (env.LEDGER_PG_SCHEMA) environment.LEDGER_PG_SCHEMA = env.LEDGER_PG_SCHEMA;
  const url = postgresUrl(env);
  environment.DATABASE_URL = url.toString();
  return { store, environment, description: `postgres ${url.hostname ? decodeURIComponent(url.hostname) : 'localhost'}${url.port ? `:${url.port}` : ''}${url.pathname}, schema ${env.LEDGER_PG_SCHEMA ?? 'ledger'}` };
}

/** `DATABASE_URL`, with what it leaves out taken from the libpq variables; or a URL built from them alone. */
export function postgresUrl(env: Pick<LedgerStoreEnvironment, 'DATABASE_URL' | 'PGHOST' | 'PGPORT' | 'PGUSER' | 'PGPASSWORD' | 'PGDATABASE' | 'PGSSLMODE'>): URL {
  const url = new URL(env.DATABASE_URL ?? `postgresql://${encodeURIComponent(env.PGHOST ?? 'localhost')}`);
  if (!url.hostname && env.PGHOST) url.hostname = encodeURIComponent(env.PGHOST);
  if (!url.port && env.PGPORT) url.port = env.PGPORT;
  if (!url.username && env.PGUSER) url.username = encodeURIComponent(env.PGUSER);
  if (!url.password && env.PGPASSWORD) url.password = encodeURIComponent(env.PGPASSWORD);
  if ((url.pathname === '' || url.pathname === '/') && env.PGDATABASE) url.pathname = `/${encodeURIComponent(env.PGDATABASE)}`;
  if (!url.searchParams.has('sslmode') && env.PGSSLMODE) url.searchParams.set('sslmode', env.PGSSLMODE);
  return url;
}
