import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { LedgerNotFound, openEventStore } from './openEventStore';

// A reader opens only a ledger that exists; a writer creates it. Real SQLite files and a real
// PostgreSQL schema (127.0.0.1:5432, database test).

const PG = { PGHOST: '127.0.0.1', PGPORT: '5432', PGUSER: 'postgres', PGDATABASE: 'test' };
const schema = `open_${process.pid}_${Date.now().toString(36)}`;
const dir = mkdtempSync(join(tmpdir(), 'open-store-'));
const saved = { ...process.env };

beforeAll(() => Object.assign(process.env, PG));
afterAll(async () => {
  process.env = saved;
  rmSync(dir, { recursive: true, force: true });
  const c = new Client({ host: PG.PGHOST, port: Number(PG.PGPORT), user: PG.PGUSER, database: PG.PGDATABASE });
  await c.connect();
  await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await c.end();
});

describe('openEventStore with mustExist', () => {
  it('refuses a SQLite file that does not exist, and creates nothing', async () => {
    const file = join(dir, 'typo', 'ledger.sqlite');
    await expect(openEventStore({ LEDGER_STORE: 'sqlite', LEDGER_SQLITE_FILE: file }, { mustExist: true })).rejects.toThrow(LedgerNotFound);
    expect(existsSync(file)).toBe(false);
  });

  it('opens a SQLite ledger a writer created', async () => {
    const file = join(dir, 'ledger.sqlite');
    await (await openEventStore({ LEDGER_STORE: 'sqlite', LEDGER_SQLITE_FILE: file })).close();
    const store = await openEventStore({ LEDGER_STORE: 'sqlite', LEDGER_SQLITE_FILE: file }, { mustExist: true });
    expect(store.name).toBe('sqlite');
    await store.close();
  });

  it('refuses a PostgreSQL schema without a ledger, and creates nothing; opens it once a writer made it', async () => {
    await expect(openEventStore({ LEDGER_STORE: 'postgres', LEDGER_PG_SCHEMA: schema }, { mustExist: true })).rejects.toThrow(`LEDGER_PG_SCHEMA=${schema}`);
    const c = new Client();
    await c.connect();
    const before = await c.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [schema]);
    expect(before.rowCount).toBe(0);
    await (await openEventStore({ LEDGER_STORE: 'postgres', LEDGER_PG_SCHEMA: schema })).close();
    await c.end();
    const store = await openEventStore({ LEDGER_STORE: 'postgres', LEDGER_PG_SCHEMA: schema }, { mustExist: true });
    expect(store.name).toBe('postgres');
    await store.close();
  });
});
