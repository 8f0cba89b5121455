import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { testPostgresStore } from '../testing/postgres';
import { PostgresEventStore } from './PostgresEventStore';

// Needs the PostgreSQL server of this machine (127.0.0.1:5432, database test, trust auth); .ci/run provides it.
// Roles are cluster-wide: each run names its own and drops them at the end.
const connection = { host: process.env.PGHOST ?? '127.0.0.1', port: Number(process.env.PGPORT ?? 5432), database: process.env.PGDATABASE ?? 'test' };
const suffix = randomBytes(4).toString('hex');
const roles = { owner: `t_ledger_owner_${suffix}`, writer: `t_ledger_writer_${suffix}` };
const login = `t_ledger_app_${suffix}`;
const event = (n: number) => ({ type: 'T', dataText: `{"n":${n}}`, recordedAt: 't', prevHash: String(n - 1), hash: String(n) });

let admin: PostgresEventStore;
let schema: string;
let sql: Client;

beforeAll(async () => {
  admin = testPostgresStore('appendonly');
  schema = (admin as unknown as { schema: string }).schema;
  await admin.applyRoles(roles);
  sql = new Client({ ...connection, user: process.env.PGUSER ?? 'postgres', password: process.env.PGPASSWORD });
  await sql.connect();
  await sql.query(`CREATE ROLE ${login} LOGIN IN ROLE ${roles.writer}`);
  expect(await admin.append('s', -1, [event(0)])).toEqual({ ok: true, revision: 0 });
});

afterAll(async () => {
  await admin.dropSchema();
  await admin.close();
  for (const r of [login, roles.writer, roles.owner]) {
    await sql.query(`DROP OWNED BY ${r}`).catch(() => undefined);
    await sql.query(`DROP ROLE IF EXISTS ${r}`);
  }
  await sql.end();
});

describe('PostgreSQL store: append-only in the database', () => {
  it('the writer appends and reads through the store, and may not UPDATE, DELETE, TRUNCATE or lift the trigger', async () => {
    const writer = new PostgresEventStore({ ...connection, user: login, schema });
    try {
      expect(await writer.append('s', 0, [event(1)])).toEqual({ ok: true, revision: 1 });
      expect((await writer.read('s')).map((e) => e.dataText)).toEqual(['{"n":0}', '{"n":1}']);
      const c = new Client({ ...connection, user: login });
      await c.connect();
      try {
        for (const statement of [`UPDATE ${schema}.ledger_events SET data = '{}'`, `DELETE FROM ${schema}.ledger_events`, `TRUNCATE ${schema}.ledger_events`, `ALTER TABLE ${schema}.ledger_events DISABLE TRIGGER ledger_events_append_only`, `DROP TABLE ${schema}.ledger_events`]) {
          await expect(c.query(statement)).rejects.toMatchObject({ code: '42501' }); // insufficient_privilege
        }
      } finally {
        await c.end();
      }
    } finally {
      await writer.close();
    }
  });

  it('the owner and a superuser are refused too, by the trigger; the maintenance procedure lifts it for one transaction', async () => {
    await sql.query(`SET ROLE ${roles.owner}`);
    try {
      await expect(sql.query(`UPDATE ${schema}.ledger_events SET data = '{}'`)).rejects.toThrow(/append-only: UPDATE refused/);
      await expect(sql.query(`DELETE FROM ${schema}.ledger_events`)).rejects.toThrow(/append-only: DELETE refused/);
      await expect(sql.query(`TRUNCATE ${schema}.ledger_events`)).rejects.toThrow(/append-only: TRUNCATE refused/);
    } finally {
      await sql.query('RESET ROLE');
    }
    await expect(sql.query(`DELETE FROM ${schema}.ledger_events`)).rejects.toThrow(/append-only: DELETE refused/); // superuser

    // The documented maintenance procedure, as the owner, in one transaction.
    await sql.query('BEGIN');
    await sql.query(`SET LOCAL ROLE ${roles.owner}`);
    await sql.query(`ALTER TABLE ${schema}.ledger_events DISABLE TRIGGER ledger_events_append_only`);
    const r = await sql.query(`UPDATE ${schema}.ledger_events SET recorded_at = 'corrected' WHERE stream_id = 's' AND revision = 0`);
    await sql.query(`ALTER TABLE ${schema}.ledger_events ENABLE TRIGGER ledger_events_append_only`);
    await sql.query('COMMIT');
    expect(r.rowCount).toBe(1);
    await expect(sql.query(`UPDATE ${schema}.ledger_events SET data = '{}'`)).rejects.toThrow(/append-only/);
  });

  it('the migration is idempotent and a migrated schema opens without DDL rights', async () => {
    await admin.applyRoles(roles);
    const again = new PostgresEventStore({ ...connection, user: login, schema });
    try {
      await again.init();
      expect((await again.read('s')).length).toBe(2);
    } finally {
      await again.close();
    }
  });
});
