import { join } from 'node:path';
import { KurrentEventStore } from './adapters/KurrentEventStore';
import { PostgresEventStore } from './adapters/PostgresEventStore';
import { SqliteEventStore } from './adapters/SqliteEventStore';
import type { EventStore } from './ports/EventStore';

/**
 * Chooses the store from the environment: LEDGER_STORE=sqlite (default, file LEDGER_SQLITE_FILE or
 * .data/ledger.sqlite), postgres (PG* variables or DATABASE_URL; LEDGER_PG_SCHEMA), kurrentdb
 * (EVENTSTORE_URL). The caller passes the settings it read and validated at its entry point.
 */
export async function openEventStore(env: Readonly<Record<string, string | undefined>>): Promise<EventStore> {
  const kind = env.LEDGER_STORE ?? 'sqlite';
  if (kind === 'sqlite') return new SqliteEventStore(env.LEDGER_SQLITE_FILE ?? join(process.cwd(), '.data', 'ledger.sqlite'));
  if (kind === 'postgres') {
    const store = new PostgresEventStore({ connectionString: env.DATABASE_URL, schema: env.LEDGER_PG_SCHEMA ?? 'ledger' });
    await store.init();
    return store;
  }
  if (kind === 'kurrentdb') {
    if (!env.EVENTSTORE_URL) throw new Error('LEDGER_STORE=kurrentdb needs EVENTSTORE_URL (e.g. kurrentdb://localhost:2113?tls=false)');
    return new KurrentEventStore(env.EVENTSTORE_URL);
  }
  throw new Error(`LEDGER_STORE "${kind}" is not sqlite, postgres or kurrentdb`);
}
