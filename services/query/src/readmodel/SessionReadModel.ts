import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SessionView } from '../domain/SessionView';
import { decodeCursor, encodeCursor, type SessionPage, type SessionQuery, type SessionStore } from './SessionStore';

const STATION_CHUNK = 500;

/** The sessions read model in SQLite (embedded default). */
export class SessionReadModel implements SessionStore {
  private readonly db: Database.Database;

  constructor(file = ':memory:') {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS sessions (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      stream_id TEXT NOT NULL,
      counter TEXT NOT NULL,
      station_id TEXT NOT NULL,
      emsp_id TEXT,
      transaction_id TEXT,
      end_time TEXT,
      body TEXT NOT NULL,
      UNIQUE (stream_id, counter))`);
    this.db.exec('CREATE INDEX IF NOT EXISTS sessions_emsp ON sessions (emsp_id, seq)');
    this.db.exec('CREATE INDEX IF NOT EXISTS sessions_tx ON sessions (transaction_id)');
  }

  async upsert(v: SessionView): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO sessions (stream_id, counter, station_id, emsp_id, transaction_id, end_time, body) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (stream_id, counter) DO UPDATE SET body = excluded.body, emsp_id = excluded.emsp_id, transaction_id = excluded.transaction_id, end_time = excluded.end_time`,
      )
      .run(v.streamId, v.counter, v.stationId, v.emspId, v.transactionId, v.endTime, JSON.stringify(v));
  }

  async get(streamId: string, counter: string): Promise<SessionView | undefined> {
    const row = this.db.prepare('SELECT body FROM sessions WHERE stream_id = ? AND counter = ?').get(streamId, counter) as { body: string } | undefined;
    return row ? JSON.parse(row.body) : undefined;
  }

  /** Sessions with this transaction id (one, unless a station reused an id). */
  async byTransaction(transactionId: string, emspId?: string): Promise<SessionView[]> {
    const rows = (emspId
      ? this.db.prepare('SELECT body FROM sessions WHERE transaction_id = ? AND emsp_id = ? ORDER BY seq').all(transactionId, emspId)
      : this.db.prepare('SELECT body FROM sessions WHERE transaction_id = ? ORDER BY seq').all(transactionId)) as { body: string }[];
    return rows.map((r) => JSON.parse(r.body));
  }

  async page(q: SessionQuery): Promise<SessionPage> {
    const where: string[] = ['seq > ?'];
    const args: unknown[] = [q.cursor ? decodeCursor(q.cursor) : 0];
    if (q.emspId !== undefined) {
      where.push('emsp_id = ?');
      args.push(q.emspId);
    }
    if (q.stationId) {
      where.push('station_id = ?');
      args.push(q.stationId);
    }
    if (q.from) {
      where.push('end_time >= ?');
      args.push(q.from);
    }
    if (q.to) {
      where.push('end_time < ?');
      args.push(q.to);
    }
    const rows = this.db.prepare(`SELECT seq, body FROM sessions WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`).all(...args, q.limit + 1) as { seq: number; body: string }[];
    const more = rows.length > q.limit;
    const items = rows.slice(0, q.limit);
    const end = items.length > 0 ? encodeCursor(items[items.length - 1].seq) : (q.cursor ?? null);
    return { items: items.map((r) => JSON.parse(r.body)), nextCursor: more ? end : null, endCursor: end };
  }

  /**
   * A station's sessions in a period, in ledger order (key stream, then pagination counter), read in
   * keyset chunks of 500: an export of any size is never held in memory, and no SQLite statement stays
   * open while the caller waits (a slow client), so the projector can write meanwhile.
   */
  async *station(stationId: string, from?: string, to?: string): AsyncGenerator<SessionView> {
    const stmt = this.db.prepare(
      `SELECT stream_id, counter, body FROM sessions
       WHERE station_id = ? AND (? IS NULL OR end_time >= ?) AND (? IS NULL OR end_time < ?)
         AND (stream_id, length(counter), counter) > (?, ?, ?)
       ORDER BY stream_id, length(counter), counter LIMIT ${STATION_CHUNK}`,
    );
    let after: [string, number, string] = ['', -1, ''];
    for (;;) {
      const rows = stmt.all(stationId, from ?? null, from ?? null, to ?? null, to ?? null, ...after) as { stream_id: string; counter: string; body: string }[];
      for (const row of rows) yield JSON.parse(row.body);
      if (rows.length < STATION_CHUNK) return;
      const last = rows[rows.length - 1];
      after = [last.stream_id, last.counter.length, last.counter];
    }
  }

  async count(): Promise<number> {
    return (this.db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
