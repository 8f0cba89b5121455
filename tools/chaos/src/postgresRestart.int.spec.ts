import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostgresEventStore } from '@metrology-ledger/ledger';
import { freePort } from '@metrology-ledger/pipeline';
import { OwnPostgres } from './OwnPostgres';

// What the postgres-stopped scenario found: when PostgreSQL stops (`pg_ctl stop -m immediate`), the
// server ends every connection, and node-postgres's Pool emits 'error' for each idle client. Without a
// listener that event is an uncaught exception: the ingest process died (exit 1) instead of retrying
// until the database came back. The store must survive the outage and answer again after it.
const dir = mkdtempSync(join(tmpdir(), 'chaos-pg-'));
let pg: OwnPostgres;
let store: PostgresEventStore;

beforeAll(async () => {
  pg = new OwnPostgres(join(dir, 'pg'), await freePort());
  pg.init();
  pg.start();
  store = new PostgresEventStore({ ...pg.connection, schema: 'restart' });
  await store.init();
}, 120_000);

afterAll(async () => {
  await store.close().catch(() => undefined);
  pg.stop();
  rmSync(dir, { recursive: true, force: true });
}, 60_000);

it('a PostgresEventStore with idle connections survives PostgreSQL stopping and answers once it is back', async () => {
  const event = { type: 'Noted', dataText: '{}', recordedAt: '2026-01-01T00:00:00.000Z', prevHash: '0'.repeat(64), hash: '1'.repeat(64) };
  await store.append('s-1', -1, [event]);
  // Several reads at once leave several idle connections in the pool.
  await Promise.all(Array.from({ length: 6 }, () => store.read('s-1')));
  const uncaught: unknown[] = [];
  const onUncaught = (e: unknown) => uncaught.push(e);
  process.on('uncaughtException', onUncaught);
  try {
    await pg.stopImmediately();
    await new Promise((r) => setTimeout(r, 1000));
    await expect(store.read('s-1')).rejects.toThrow();
    await pg.restart();
    expect((await store.read('s-1')).map((e) => e.type)).toEqual(['Noted']);
  } finally {
    process.off('uncaughtException', onUncaught);
  }
  expect(uncaught.map((e) => String(e).slice(0, 200))).toEqual([]);
}, 120_000);
