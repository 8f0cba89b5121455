import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import type { SessionView } from '../domain/SessionView';
import { PostgresSessionStore } from './PostgresSessionStore';
import { sessionStoreContract } from './sessionStoreContract';
import { ThreadedSessionWrites } from './ThreadedSessionWrites';

// Needs the PostgreSQL server of this machine (127.0.0.1:5432, database test); .ci/run provides it.
sessionStoreContract('postgres', async () => {
  const s = new PostgresSessionStore({ host: process.env.PGHOST ?? '127.0.0.1', user: process.env.PGUSER ?? 'postgres', database: process.env.PGDATABASE ?? 'test', schema: `q_${randomBytes(4).toString('hex')}` });
  await s.init();
  const close = s.close.bind(s);
  s.close = async () => {
    await s.dropSchema();
    await close();
  };
  return s;
});

describe('PostgresSessionStore statistics', () => {
  const config = { host: process.env.PGHOST ?? '127.0.0.1', user: process.env.PGUSER ?? 'postgres', database: process.env.PGDATABASE ?? 'test' };
  const view = (counter: number) =>
    ({ stationId: 'CP-STATS', streamId: 'datasets/CP-STATS/k/T', counter: String(counter), emspId: null, transactionId: `t${counter}`, endTime: '2025-03-01T00:00:00Z', status: 'recorded', conflictingOcmf: [] }) as unknown as SessionView;
  const analysed = async (store: PostgresSessionStore, schema: string) => {
    const pool = (store as unknown as { pool: Pool }).pool;
    const r = await pool.query(`SELECT c.reltuples, s.last_analyze FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.oid = to_regclass($1)`, [`"${schema}".sessions`]);
    return { rows: Number(r.rows[0].reltuples), at: r.rows[0].last_analyze as Date | null };
  };

  it('takes the planner statistics itself as the model grows (autovacuum may be off), so a station is planned by its real size', async () => {
    const schema = `q_${randomBytes(4).toString('hex')}`;
    const store = new PostgresSessionStore({ ...config, schema });
    try {
      await store.init();
      const atStart = await analysed(store, schema);
      expect(atStart.rows).toBe(0);
      for (let c = 1; c <= 4000; c += 500) await store.upsertMany(Array.from({ length: 500 }, (_, i) => view(c + i)));
      const after = await analysed(store, schema);
      expect(after.at!.getTime()).toBeGreaterThan(atStart.at!.getTime());
      // Taken at 1,000 rows and again at half as many more: the estimate is within half of the 4,000 rows.
      expect(after.rows).toBeGreaterThanOrEqual(2000);
    } finally {
      await store.dropSchema();
      await store.close();
    }
  });

  it('takes them once after a rebuild creates its indexes, and at the start of a model a rebuild left unindexed', async () => {
    const schema = `q_${randomBytes(4).toString('hex')}`;
    const rebuild = new PostgresSessionStore({ ...config, schema, deferIndexes: true });
    await rebuild.init();
    await rebuild.upsertMany(Array.from({ length: 3000 }, (_, i) => view(i + 1)));
    expect((await analysed(rebuild, schema)).at).toBeNull();
    await rebuild.close();
    // A rebuild stopped before its indexes: the service's start creates them (which sets the row count) and analyses.
    const service = new PostgresSessionStore({ ...config, schema });
    try {
      await service.init();
      expect((await analysed(service, schema)).at).not.toBeNull();
      await service.dropSchema();
      const again = new PostgresSessionStore({ ...config, schema, deferIndexes: true });
      await again.init();
      await again.upsertMany(Array.from({ length: 3000 }, (_, i) => view(i + 1)));
      await again.createIndexes();
      expect(await analysed(again, schema)).toMatchObject({ rows: 3000, at: expect.any(Date) });
      await again.dropSchema();
      await again.close();
    } finally {
      await service.dropSchema();
      await service.close();
    }
  });
});

// The rebuild's PostgreSQL path: the pages' upserts on a thread and a pool of their own.
sessionStoreContract('postgres, batches written on a thread', async () => {
  const pg = { host: process.env.PGHOST ?? '127.0.0.1', user: process.env.PGUSER ?? 'postgres', database: process.env.PGDATABASE ?? 'test' };
  const schema = `q_${randomBytes(4).toString('hex')}`;
  const model = new PostgresSessionStore({ ...pg, schema });
  await model.init();
  const threaded = new ThreadedSessionWrites(model, { postgres: { connectionString: `postgres://${pg.user}@${pg.host}:${process.env.PGPORT ?? 5432}/${pg.database}`, schema } });
  const close = threaded.close.bind(threaded);
  threaded.close = async () => {
    await close();
    const cleanup = new PostgresSessionStore({ ...pg, schema });
    await cleanup.dropSchema();
    await cleanup.close();
  };
  return threaded;
});

describe('PostgresSessionStore bulkLoad (a rebuild copies its batches)', () => {
  const config = { host: process.env.PGHOST ?? '127.0.0.1', user: process.env.PGUSER ?? 'postgres', database: process.env.PGDATABASE ?? 'test' };
  const view = (counter: number, body: Partial<SessionView> = {}) =>
    ({ stationId: 'CP-COPY', streamId: 'datasets/CP-COPY/k/T', counter: String(counter), emspId: null, transactionId: `t${counter}`, endTime: '2025-03-01T00:00:00Z', status: 'recorded', conflictingOcmf: [], ...body }) as unknown as SessionView;
  let store: PostgresSessionStore;
  let copies: number;
  /** The SQLSTATE of each copy that failed. */
  let copyFailures: (string | undefined)[];
  /** Transactions of upserts (the path a refused copy falls back to). */
  let upserts: jest.SpyInstance;
  beforeEach(async () => {
    store = new PostgresSessionStore({ ...config, schema: `q_${randomBytes(4).toString('hex')}`, deferIndexes: true, bulkLoad: true });
    await store.init();
    copies = 0;
    copyFailures = [];
    const copy = store.copyValues.bind(store);
    store.copyValues = async (rows) => {
      try {
        const copied = await copy(rows);
        if (copied) copies++;
        return copied;
      } catch (e) {
        copyFailures.push((e as { code?: string }).code);
        throw e;
      }
    };
    upserts = jest.spyOn(store as unknown as { inTransaction: () => Promise<void> }, 'inTransaction');
  });
  afterEach(async () => {
    await store.dropSchema();
    await store.close();
  });

  it('copies new sessions: the same rows and text as an upsert writes, whatever the text holds', async () => {
    const odd = { ocmf: 'OCMF|{"RV":1.0,"ID":"a\\\\b\\"c"}|{}', identification: { status: true, type: 'ISO14443', data: 'Zähler €, 𝄞\t"\\' } };
    await store.upsertMany([view(1, odd), view(2, { emspId: 'DE-X', emspSource: 'message' }), view(10)]);
    expect(copies).toBe(1);
    expect(await store.count()).toBe(3);
    expect(await store.get('datasets/CP-COPY/k/T', '1')).toMatchObject(odd);
    expect((await store.byTransaction('t2', 'DE-X')).map((v) => v.counter)).toEqual(['2']);
    const inOrder: string[] = [];
    for await (const v of store.station('CP-COPY')) inOrder.push(v.counter);
    expect(inOrder).toEqual(['1', '2', '10']);
  });

  it('upserts a batch instead when a session of it is already stored: the later one kept, nothing of the refused copy left', async () => {
    await store.upsertMany([view(1), view(2)]);
    await store.upsertMany([view(3), view(2, { status: 'conflict' }), view(4)]);
    expect(copies).toBe(1);
    expect(await store.count()).toBe(4);
    expect((await store.get('datasets/CP-COPY/k/T', '2'))?.status).toBe('conflict');
    // The next new batch is copied again.
    await store.upsertMany([view(5)]);
    expect(copies).toBe(2);
    expect(await store.count()).toBe(5);
  });

  it('upserts a large batch (6 MB) whose first session is stored, and closes the connection of the refused copy', async () => {
    await store.upsertMany([view(1)]);
    let closed = 0;
    (store as unknown as { pool: Pool }).pool.on('remove', () => closed++);
    // About 6 MB: more than a socket takes at once; the server refuses it at its first row.
    const big = Array.from({ length: 1500 }, (_, i) => view(i + 1, { ocmf: `OCMF|${'x'.repeat(4000)}|${i}` }));
    await store.upsertMany(big);
    expect({ copies, copyFailures, upserts: upserts.mock.calls.length, closed }).toEqual({ copies: 1, copyFailures: [], upserts: 1, closed: 1 });
    expect(await store.count()).toBe(1500);
    expect((await store.get('datasets/CP-COPY/k/T', '1'))?.ocmf).toBe(`OCMF|${'x'.repeat(4000)}|0`);
    // The connection of the refused copy was closed, not pooled half-way through a copy: the next batch is copied.
    await store.upsertMany([view(1501)]);
    expect(copies).toBe(2);
  });

  it('fails on any other refusal, with the server\'s reason, and writes nothing of the batch; the store goes on', async () => {
    await expect(store.upsertMany([view(1), view(2, { transactionId: 'nul\u0000byte' })])).rejects.toThrow(/0x00/);
    // The copy's own refusal (invalid byte sequence), not the upsert's: a refusal other than a stored session is never retried.
    expect({ copyFailures, upserts: upserts.mock.calls.length }).toEqual({ copyFailures: ['22021'], upserts: 0 });
    expect(await store.count()).toBe(0);
    await store.upsertMany([view(1)]);
    expect(await store.count()).toBe(1);
  });
});
