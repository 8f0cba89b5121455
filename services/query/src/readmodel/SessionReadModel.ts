import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SessionOwner } from '../domain/sessionOwner';
import type { SessionToken, SessionView } from '../domain/SessionView';
import { decodeCursor, encodeCursor, type SessionPage, type SessionQuery, type SessionStore, type TokenPage } from './SessionStore';
import {
  ADDED_SESSION_COLUMNS,
  createStatements,
  indexStatements,
  lastPerSession,
  ownershipSql,
  SESSION_COLUMNS,
  sessionFromRow,
  sessionValues,
  tokenFromRow,
  tokenValues,
  transactionTokenValues,
  type RegisteredTokenView,
  type SessionRow,
  type TokenQuery,
} from './sessionRows';

const STATION_CHUNK = 500;
/** Up to this much of a model being rebuilt is read through a memory map (SQLite caps it at its build's limit). */
export const REBUILD_MMAP_BYTES = 8 * 1024 ** 3;
const TABLES = { sessions: 'sessions', transactionTokens: 'transaction_tokens', tokens: 'tokens' };
const SQL = ownershipSql(TABLES);
/** The upsert of one session, its parameters the values of `sessionValues` (for a connection of another thread). */
export const SQLITE_UPSERT_SESSION = SQL.upsertSession;

/** The sessions read model in SQLite (embedded default). */
export class SessionReadModel implements SessionStore {
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly upsertAll: (views: readonly SessionView[]) => void;

  /**
   * `deferIndexes`: create only the tables and the (stream, counter) key, and the other indexes when
   * `createIndexes` is called. A rebuild into an empty model does so: building an index once over a
   * million rows is much cheaper than keeping it up to date row by row.
   */
  constructor(file = ':memory:', options: { deferIndexes?: boolean } = {}) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // The model is rebuilt from the ledger at any time: a commit need not reach the disk before the
    // next one (WAL with NORMAL never corrupts the file, a power loss may only drop the latest commits).
    this.db.pragma('synchronous = NORMAL');
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
    const present = new Set((this.db.prepare('PRAGMA table_info(sessions)').all() as { name: string }[]).map((c) => c.name));
    for (const column of ADDED_SESSION_COLUMNS) if (!present.has(column)) this.db.exec(`ALTER TABLE sessions ADD COLUMN ${column} TEXT`);
    for (const sql of createStatements(TABLES, 'INTEGER PRIMARY KEY AUTOINCREMENT')) this.db.exec(sql);
    if (!options.deferIndexes) this.createIndexes();
    // A rebuild builds the indexes at the end, each with a scan of the whole table: read through a memory
    // map, those scans copy no page through read(2) (at a million sessions the index build took 40 % less).
    else this.db.pragma(`mmap_size = ${REBUILD_MMAP_BYTES}`);
    this.upsertAll = this.db.transaction((views: readonly SessionView[]) => {
      const upsert = this.prepared(SQL.upsertSession);
      for (const v of views) upsert.run(...sessionValues(v));
    });
  }

  /** The sessions' secondary indexes (those that exist are kept). */
  createIndexes(): void {
    for (const sql of indexStatements(TABLES, '')) this.db.exec(sql);
  }

  /** A statement prepared once per text (better-sqlite3 statements are reusable). */
  private prepared(sql: string): Database.Statement {
    let stmt = this.statements.get(sql);
    if (!stmt) this.statements.set(sql, (stmt = this.db.prepare(sql)));
    return stmt;
  }

  async upsert(v: SessionView): Promise<void> {
    this.prepared(SQL.upsertSession).run(...sessionValues(v));
  }

  async upsertMany(views: readonly SessionView[]): Promise<void> {
    this.upsertAll(lastPerSession(views));
  }

  async get(streamId: string, counter: string): Promise<SessionView | undefined> {
    const row = this.db.prepare(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE stream_id = ? AND counter = ?`).get(streamId, counter) as SessionRow | undefined;
    return row ? sessionFromRow(row) : undefined;
  }

  /** Sessions with this transaction id (one, unless a station reused an id). */
  async byTransaction(transactionId: string, emspId?: string): Promise<SessionView[]> {
    // The eMSP's lookup, the service's most frequent request: statements prepared once, not per call.
    const rows = (
      emspId
        ? this.prepared(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE transaction_id = ? AND emsp_id = ? ORDER BY seq`).all(transactionId, emspId)
        : this.prepared(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE transaction_id = ? ORDER BY seq`).all(transactionId)
    ) as SessionRow[];
    return rows.map(sessionFromRow);
  }

  async page(q: SessionQuery): Promise<SessionPage> {
    const where: string[] = ['seq > ?'];
    const args: unknown[] = [q.cursor ? decodeCursor(q.cursor) : 0];
    if (q.emspId !== undefined) {
      where.push('emsp_id = ?');
      args.push(q.emspId);
    }
    if (q.owner === 'none') where.push('emsp_id IS NULL');
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
    const rows = this.db.prepare(`SELECT seq, ${SESSION_COLUMNS} FROM sessions WHERE ${where.join(' AND ')} ORDER BY seq LIMIT ?`).all(...args, q.limit + 1) as (SessionRow & { seq: number })[];
    const more = rows.length > q.limit;
    const items = rows.slice(0, q.limit);
    const end = items.length > 0 ? encodeCursor(items[items.length - 1].seq) : (q.cursor ?? null);
    return { items: items.map(sessionFromRow), nextCursor: more ? end : null, endCursor: end };
  }

  /**
   * A station's sessions in a period, in ledger order (key stream, then pagination counter), read in
   * keyset chunks of 500: an export of any size is never held in memory, and no SQLite statement stays
   * open while the caller waits (a slow client), so the projector can write meanwhile.
   */
  async *station(stationId: string, from?: string, to?: string): AsyncGenerator<SessionView> {
    for await (const rows of this.stationRows(stationId, from, to)) for (const row of rows) yield sessionFromRow(row);
  }

  /**
   * Keyset chunks in export order (stream, counter length, counter), the stored text as text, read as
   * arrays (`raw`: much cheaper in better-sqlite3 than objects) and turned into rows here. The rows
   * after the last one read are the rest of its (stream, length) run, then the longer counters of its
   * stream, then the later streams: three statements, each an index range (a row-value comparison over
   * the index's `length(counter)` would seek to the station's first row and skip forward, so every
   * chunk would cost as much as the rows before it).
   */
  async *stationRows(stationId: string, from?: string, to?: string): AsyncGenerator<SessionRow[]> {
    const period = 'station_id = @station AND (@from IS NULL OR end_time >= @from) AND (@to IS NULL OR end_time < @to)';
    const columns = `stream_id, counter, ${SESSION_COLUMNS}`;
    const phases = [
      `SELECT ${columns} FROM sessions WHERE ${period} AND stream_id = @stream AND length(counter) = length(@counter) AND counter > @counter ORDER BY counter LIMIT @limit`,
      `SELECT ${columns} FROM sessions WHERE ${period} AND stream_id = @stream AND length(counter) > length(@counter) ORDER BY length(counter), counter LIMIT @limit`,
      `SELECT ${columns} FROM sessions WHERE ${period} AND stream_id > @stream ORDER BY stream_id, length(counter), counter LIMIT @limit`,
    ].map((sql) => this.prepared(sql).raw(true));
    // The counter's length as SQL counts it (characters, where JavaScript counts UTF-16 units).
    const at = { station: stationId, from: from ?? null, to: to ?? null, stream: '', counter: '', limit: STATION_CHUNK };
    for (;;) {
      const raw: (string | null)[][] = [];
      for (const phase of phases) {
        if (raw.length === STATION_CHUNK) break;
        for (const r of phase.all({ ...at, limit: STATION_CHUNK - raw.length }) as (string | null)[][]) raw.push(r);
      }
      const rows: SessionRow[] = new Array(raw.length);
      for (let i = 0; i < raw.length; i++) {
        const r = raw[i];
        rows[i] = { body: r[2]!, emsp_id: r[3], emsp_source: r[4], token_uid: r[5], token_type: r[6], token_source: r[7] };
      }
      if (rows.length > 0) yield rows;
      if (raw.length < STATION_CHUNK) return;
      const last = raw[raw.length - 1];
      at.stream = last[0]!;
      at.counter = last[1]!;
    }
  }

  async count(): Promise<number> {
    return (this.db.prepare('SELECT count(*) AS n FROM sessions').get() as { n: number }).n;
  }

  async transactionToken(stationId: string, transactionId: string): Promise<SessionToken | undefined> {
    const row = this.prepared(SQL.transactionToken).get(stationId, transactionId) as { uid: string; type: string | null } | undefined;
    return row ? { uid: row.uid, type: row.type, source: 'ocpp' } : undefined;
  }

  async transactionTokens(stationId: string, transactionIds: readonly string[]): Promise<Map<string, SessionToken>> {
    const rows = this.prepared(`SELECT transaction_id, uid, type FROM transaction_tokens WHERE station_id = ? AND transaction_id IN (SELECT value FROM json_each(?))`).all(
      stationId,
      JSON.stringify(transactionIds),
    ) as { transaction_id: string; uid: string; type: string | null }[];
    return new Map(rows.map((r) => [r.transaction_id, { uid: r.uid, type: r.type, source: 'ocpp' as const }]));
  }

  async addTransactionToken(stationId: string, transactionId: string, token: SessionToken): Promise<boolean> {
    return this.db.prepare(SQL.addTransactionToken).run(stationId, transactionId, token.uid, token.type).changes > 0;
  }

  async assignTransactionToken(stationId: string, transactionId: string, token: SessionToken, owner: SessionOwner): Promise<void> {
    const values = transactionTokenValues(stationId, transactionId, token, owner);
    this.db.transaction(() => {
      this.db.prepare(SQL.setSessionToken).run(...values.token);
      this.db.prepare(SQL.setTransactionOwner).run(...values.owner);
    })();
  }

  async registeredToken(key: string): Promise<RegisteredTokenView | undefined> {
    const row = this.prepared(SQL.registeredToken).get(key) as Record<string, string | null> | undefined;
    return row ? tokenFromRow(row) : undefined;
  }

  async registeredTokens(keys: readonly string[]): Promise<Map<string, RegisteredTokenView>> {
    const rows = this.prepared(SQL.registeredTokens('IN (SELECT value FROM json_each(?))')).all(JSON.stringify(keys)) as Record<string, string | null>[];
    return new Map(rows.map((r) => [r.token_key!, tokenFromRow(r)]));
  }

  async saveToken(token: RegisteredTokenView): Promise<void> {
    const values = tokenValues(token);
    this.db.transaction(() => {
      this.db.prepare(SQL.saveToken).run(...values);
      if (token.status === 'registered') this.db.prepare(SQL.ownerRegistered).run(token.emspId, values[0]);
      else this.db.prepare(SQL.ownerWithdrawn).run(values[0]);
    })();
  }

  async tokens(q: TokenQuery): Promise<TokenPage> {
    const own = q.emspId !== undefined;
    const args = [q.cursor ? decodeCursor(q.cursor) : 0, ...(own ? [q.emspId] : []), q.limit + 1];
    const rows = this.db.prepare(SQL.tokensPage(own)).all(...args) as (Record<string, string | null> & { seq: number })[];
    const more = rows.length > q.limit;
    const items = rows.slice(0, q.limit);
    return { items: items.map(tokenFromRow), nextCursor: more ? encodeCursor(items[items.length - 1].seq) : null };
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
