import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { KurrentEventStore } from './adapters/KurrentEventStore';
import { PostgresEventStore } from './adapters/PostgresEventStore';
import { SqliteEventStore } from './adapters/SqliteEventStore';
import type { EventStore } from './ports/EventStore';

export interface OpenOptions {
  /**
   * A reader (the query service, its rebuild, the ledger CLI) opens only a ledger that exists: a
   * mistyped LEDGER_SQLITE_FILE or LEDGER_PG_SCHEMA would otherwise create an empty ledger and serve
   * "nothing recorded" as if it were the truth. Writers (ingest) create it.
   */
  mustExist?: boolean;
}

/** The ledger named by the settings does not exist (and the caller must not create it). */
export class LedgerNotFound extends Error {
  constructor(readonly where: string) {
    super(`there is no ledger at ${where}: check the setting (a reader never creates a ledger; ingest creates it on its first start)`);
    this.name = 'LedgerNotFound';
  }
}

/**
 * Chooses the store from the environment: LEDGER_STORE=sqlite (default, file LEDGER_SQLITE_FILE or
 * .data/ledger.sqlite), postgres (PG* variables or DATABASE_URL; LEDGER_PG_SCHEMA), kurrentdb
 * (EVENTSTORE_URL). The caller passes the settings it read and validated at its entry point.
 */
export async function openEventStore(env: Readonly<Record<string, string | undefined>>, options: OpenOptions = {}): Promise<EventStore> {
  const kind = env.LEDGER_STORE ?? 'sqlite';
  if (kind === 'sqlite') {
    const file = env.LEDGER_SQLITE_FILE ?? join(process.cwd(), '.data', 'ledger.sqlite');
    if (options.mustExist && file !== ':memory:' && !existsSync(file)) throw new LedgerNotFound(`LEDGER_SQLITE_FILE=${file}`);
    return new SqliteEventStore(file);
  }
  if (kind === 'postgres') {
    const schema = env.LEDGER_PG_SCHEMA ?? 'ledger';
    if (options.mustExist && !(await postgresLedgerExists(env.DATABASE_URL, schema))) throw new LedgerNotFound(`LEDGER_PG_SCHEMA=${schema} (no table ${schema}.ledger_events)`);
    const store = new PostgresEventStore({ connectionString: env.DATABASE_URL, schema });
    await store.init();
    return store;
  }
  if (kind === 'kurrentdb') {
    if (!env.EVENTSTORE_URL) throw new Error('LEDGER_STORE=kurrentdb needs EVENTSTORE_URL (e.g. kurrentdb://localhost:2113?tls=false)');
    return new KurrentEventStore(env.EVENTSTORE_URL);
  }
  throw new Error(`LEDGER_STORE "${kind}" is not sqlite, postgres or kurrentdb`);
}

async function postgresLedgerExists(connectionString: string | undefined, schema: string): Promise<boolean> {
  const client = new Client({ connectionString });
  await client.connect();
  try {
    const r = await client.query<{ t: string | null }>('SELECT to_regclass($1) AS t', [`"${schema.replace(/"/g, '')}".ledger_events`]);
    return r.rows[0]?.t !== null;
  } finally {
    await client.end();
  }
}
