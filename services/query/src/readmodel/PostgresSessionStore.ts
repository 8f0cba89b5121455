import { Pool, type PoolConfig } from 'pg';
import type { SessionView } from '../domain/SessionView';
import { decodeCursor, encodeCursor, type SessionPage, type SessionQuery, type SessionStore } from './SessionStore';

const CHUNK = 500;

/** The sessions read model in PostgreSQL (production). Same table and ordering as the SQLite one. */
export class PostgresSessionStore implements SessionStore {
  private readonly pool: Pool;
  private readonly schema: string;
  private ready: Promise<void> | undefined;

  constructor(config: PoolConfig & { schema?: string }) {
    const { schema, ...pool } = config;
    this.schema = (schema ?? 'query').replace(/"/g, '');
    this.pool = new Pool({ max: 8, ...pool });
  }

  private get t(): string {
    return `"${this.schema}".sessions`;
  }

  init(): Promise<void> {
    this.ready ??= (async () => {
      await this.pool.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
      await this.pool.query(`CREATE TABLE IF NOT EXISTS ${this.t} (
        seq BIGSERIAL PRIMARY KEY, stream_id TEXT NOT NULL, counter TEXT NOT NULL, station_id TEXT NOT NULL,
        emsp_id TEXT, transaction_id TEXT, end_time TEXT, body TEXT NOT NULL, UNIQUE (stream_id, counter))`);
      await this.pool.query(`CREATE INDEX IF NOT EXISTS sessions_emsp ON ${this.t} (emsp_id, seq)`);
      await this.pool.query(`CREATE INDEX IF NOT EXISTS sessions_tx ON ${this.t} (transaction_id)`);
      await this.pool.query(`CREATE INDEX IF NOT EXISTS sessions_station ON ${this.t} (station_id, stream_id, length(counter), counter)`);
    })();
    return this.ready;
  }

  async upsert(v: SessionView): Promise<void> {
    await this.init();
    await this.pool.query(
      `INSERT INTO ${this.t} (stream_id, counter, station_id, emsp_id, transaction_id, end_time, body) VALUES ($1, $2, $3, $4, $5, $6, $7)
       ON CONFLICT (stream_id, counter) DO UPDATE SET body = excluded.body, emsp_id = excluded.emsp_id, transaction_id = excluded.transaction_id, end_time = excluded.end_time`,
      [v.streamId, v.counter, v.stationId, v.emspId, v.transactionId, v.endTime, JSON.stringify(v)],
    );
  }

  async get(streamId: string, counter: string): Promise<SessionView | undefined> {
    await this.init();
    const r = await this.pool.query(`SELECT body FROM ${this.t} WHERE stream_id = $1 AND counter = $2`, [streamId, counter]);
    return r.rows[0] ? JSON.parse(r.rows[0].body) : undefined;
  }

  async byTransaction(transactionId: string, emspId?: string): Promise<SessionView[]> {
    await this.init();
    const r = emspId
      ? await this.pool.query(`SELECT body FROM ${this.t} WHERE transaction_id = $1 AND emsp_id = $2 ORDER BY seq`, [transactionId, emspId])
      : await this.pool.query(`SELECT body FROM ${this.t} WHERE transaction_id = $1 ORDER BY seq`, [transactionId]);
    return r.rows.map((row) => JSON.parse(row.body));
  }

  async page(q: SessionQuery): Promise<SessionPage> {
    await this.init();
    const args: unknown[] = [q.cursor ? decodeCursor(q.cursor) : 0];
    const where = ['seq > $1'];
    const add = (sql: string, v: unknown) => {
      args.push(v);
      where.push(sql.replace('?', `$${args.length}`));
    };
    if (q.emspId !== undefined) add('emsp_id = ?', q.emspId);
    if (q.stationId) add('station_id = ?', q.stationId);
    if (q.from) add('end_time >= ?', q.from);
    if (q.to) add('end_time < ?', q.to);
    args.push(q.limit + 1);
    const r = await this.pool.query(`SELECT seq, body FROM ${this.t} WHERE ${where.join(' AND ')} ORDER BY seq LIMIT $${args.length}`, args);
    const more = r.rows.length > q.limit;
    const rows = r.rows.slice(0, q.limit);
    const end = rows.length > 0 ? encodeCursor(Number(rows[rows.length - 1].seq)) : (q.cursor ?? null);
    return { items: rows.map((row) => JSON.parse(row.body)), nextCursor: more ? end : null, endCursor: end };
  }

  /** Keyset pagination over (stream, counter): any period is read in chunks, never whole. */
  async *station(stationId: string, from?: string, to?: string): AsyncGenerator<SessionView> {
    await this.init();
    let after: [string, number, string] = ['', -1, ''];
    for (;;) {
      const r = await this.pool.query(
        `SELECT stream_id, counter, body FROM ${this.t}
         WHERE station_id = $1 AND ($2::text IS NULL OR end_time >= $2) AND ($3::text IS NULL OR end_time < $3)
           AND (stream_id, length(counter), counter) > ($4, $5, $6)
         ORDER BY stream_id, length(counter), counter LIMIT ${CHUNK}`,
        [stationId, from ?? null, to ?? null, after[0], after[1], after[2]],
      );
      for (const row of r.rows) yield JSON.parse(row.body);
      if (r.rows.length < CHUNK) return;
      const last = r.rows[r.rows.length - 1];
      after = [last.stream_id, last.counter.length, last.counter];
    }
  }

  async count(): Promise<number> {
    await this.init();
    return Number((await this.pool.query(`SELECT count(*) AS n FROM ${this.t}`)).rows[0].n);
  }

  async dropSchema(): Promise<void> {
    await this.pool.query(`DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
