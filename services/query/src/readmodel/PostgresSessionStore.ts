import { Pool, type PoolConfig } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { SessionOwner } from '../domain/sessionOwner';
import type { SessionToken, SessionView } from '../domain/SessionView';
import { binaryCopyRows } from './binaryCopyRows';
import { runInTransaction } from './runInTransaction';
import { statisticsDue } from './statisticsDue';
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
  UPSERT_SESSION_COLUMNS,
  type RegisteredTokenView,
  type SessionRow,
  type TokenQuery,
} from './sessionRows';

/** `?` placeholders numbered as PostgreSQL wants them (`$1`, `$2`, …). */
const numbered = (sql: string) => {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
};

const CHUNK = 500;
/** Rows of one multi-row upsert (13 parameters each; PostgreSQL takes at most 65,535). */
const UPSERT_ROWS = 500;
/** SQLSTATE unique_violation: a copied row whose (stream, counter) is already stored. */
const UNIQUE_VIOLATION = '23505';

/** The sessions read model in PostgreSQL (production). Same table and ordering as the SQLite one. */
export class PostgresSessionStore implements SessionStore {
  private readonly pool: Pool;
  private readonly schema: string;
  private ready: Promise<void> | undefined;

  private readonly deferIndexes: boolean;
  private readonly bulkLoad: boolean;
  /** Rows in the sessions table when the planner's statistics were last taken, and rows written since (`keepStatistics`). */
  private rowsAtAnalyze = 0;
  private writtenSinceAnalyze = 0;
  private analyzing: Promise<void> | undefined;
  /** Told why an ANALYZE failed (main.ts: the service log); nothing else is done with it. */
  private readonly onStatisticsProblem: (message: string) => void;
  /** Statement texts with numbered placeholders, by the text with `?` (numbering a 500-row upsert each time costs more than sending it). */
  private readonly numberedTexts = new Map<string, string>();

  /**
   * `deferIndexes`: see SessionReadModel; `createIndexes` creates them. `bulkLoad` (a rebuild's writer
   * thread): `upsertValues` copies each batch (`copyValues`), and upserts it only when one of its
   * sessions is already stored.
   */
  constructor(config: PoolConfig & { schema?: string; deferIndexes?: boolean; bulkLoad?: boolean; onStatisticsProblem?: (message: string) => void }) {
    const { schema, deferIndexes, bulkLoad, onStatisticsProblem, ...pool } = config;
    this.onStatisticsProblem = onStatisticsProblem ?? (() => undefined);
    this.deferIndexes = deferIndexes ?? false;
    this.bulkLoad = bulkLoad ?? false;
    this.schema = (schema ?? 'query').replace(/"/g, '');
    this.pool = new Pool({ max: 8, ...pool });
    // An idle pooled connection that dies (the database stopped or restarted) is an 'error' event on
    // the pool; without a listener it is an uncaught exception that ends the process. The pool drops
    // that connection by itself, and the next query opens a new one or fails with its own error,
    // which the caller handles (ingest retries and reports not ready).
    this.pool.on('error', () => undefined);
  }

  private get t(): string {
    return `"${this.schema}".sessions`;
  }

  private get tables() {
    return { sessions: this.t, transactionTokens: `"${this.schema}".transaction_tokens`, tokens: `"${this.schema}".tokens` };
  }

  private get sql() {
    return ownershipSql(this.tables);
  }

  init(): Promise<void> {
    this.ready ??= (async () => {
      await this.pool.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
      await this.pool.query(`CREATE TABLE IF NOT EXISTS ${this.t} (
        seq BIGSERIAL PRIMARY KEY, stream_id TEXT NOT NULL, counter TEXT NOT NULL, station_id TEXT NOT NULL,
        emsp_id TEXT, transaction_id TEXT, end_time TEXT, body TEXT NOT NULL, UNIQUE (stream_id, counter))`);
      for (const column of ADDED_SESSION_COLUMNS) await this.pool.query(`ALTER TABLE ${this.t} ADD COLUMN IF NOT EXISTS ${column} TEXT`);
      for (const sql of createStatements(this.tables, 'BIGSERIAL PRIMARY KEY')) await this.pool.query(sql);
      if (this.deferIndexes) return;
      await this.createIndexes();
    })();
    return this.ready;
  }

  /** The sessions' secondary indexes (those that exist are kept), then the planner's statistics when they were never taken. */
  async createIndexes(): Promise<void> {
    for (const sql of indexStatements(this.tables, '')) await this.pool.query(sql);
    // Never analysed: a new table, a rebuild's, or one a rebuild left half-written (CREATE INDEX sets
    // the row count, not the columns' statistics); the first plans would take it for empty.
    const r = await this.pool.query(`SELECT c.reltuples, s.last_analyze IS NULL AND s.last_autoanalyze IS NULL AS never FROM pg_class c JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.oid = to_regclass($1)`, [this.t]);
    this.rowsAtAnalyze = Math.max(0, Number(r.rows[0]?.reltuples ?? 0));
    if (!(r.rows[0]?.never ?? true) && !this.deferIndexes) return;
    // A rebuild's ANALYZE fails the rebuild; at a service's start it is tried again at the next write.
    if (this.deferIndexes) await this.analyze();
    else await this.analyze().catch((e: Error) => this.statisticsFailed(e));
  }

  /** Takes the planner's statistics of the read model's tables (PostgreSQL `ANALYZE`). */
  async analyze(): Promise<void> {
    const written = this.writtenSinceAnalyze;
    await this.pool.query(`ANALYZE ${this.t}, ${this.tables.transactionTokens}, ${this.tables.tokens}`);
    const r = await this.pool.query(`SELECT reltuples FROM pg_class WHERE oid = to_regclass($1)`, [this.t]);
    this.rowsAtAnalyze = Math.max(0, Number(r.rows[0]?.reltuples ?? 0));
    this.writtenSinceAnalyze -= written;
  }

  /**
   * Counts rows written and takes the statistics again when enough were (`statisticsDue`), one
   * ANALYZE at a time; not while a rebuild defers its indexes (`createIndexes` takes them then).
   * The write before it is committed whatever happens here: an ANALYZE that fails (a lock or
   * statement timeout, the connection lost) is not the write's failure; it is tried again once as
   * many rows more are written, and its reason goes to `onStatisticsProblem`.
   */
  private async keepStatistics(written: number): Promise<void> {
    this.writtenSinceAnalyze += written;
    if (this.deferIndexes || this.analyzing || !statisticsDue(this.rowsAtAnalyze, this.writtenSinceAnalyze)) return;
    this.analyzing = this.analyze()
      .catch((e: Error) => this.statisticsFailed(e))
      .finally(() => (this.analyzing = undefined));
    await this.analyzing;
  }

  private statisticsFailed(e: Error): void {
    this.writtenSinceAnalyze = 0;
    this.onStatisticsProblem(`the planner statistics of ${this.t} could not be taken (ANALYZE: ${String(e?.message ?? e).slice(0, 200)}); tried again after more writes`);
  }

  async upsert(v: SessionView): Promise<void> {
    await this.init();
    await this.pool.query(numbered(this.sql.upsertSession), sessionValues(v));
    await this.keepStatistics(1);
  }

  /** Multi-row upserts of up to 500 views each, all in one transaction. */
  async upsertMany(views: readonly SessionView[]): Promise<void> {
    await this.upsertValues(lastPerSession(views).map(sessionValues));
  }

  /**
   * `upsertMany` of rows already made (`sessionValues`, one per session), as a writer thread is sent
   * them; says how they were written. With `bulkLoad`, the batch is copied first, and upserted only
   * when that finds a session of it already stored.
   */
  async upsertValues(rows: readonly unknown[][]): Promise<'copied' | 'upserted' | 'none'> {
    if (rows.length === 0) return 'none';
    const written = this.bulkLoad && (await this.copyValues(rows)) ? 'copied' : await this.upsertRows(rows);
    await this.keepStatistics(rows.length);
    return written;
  }

  /** Multi-row upserts of up to 500 rows each, all in one transaction. */
  private async upsertRows(rows: readonly unknown[][]): Promise<'upserted'> {
    const statements: [string, unknown[]][] = [];
    const [head, tail] = this.sql.upsertSession.split(/(?<=VALUES \(\?(?:, \?)*\))/);
    const row = head.slice(head.lastIndexOf('('));
    const insert = head.slice(0, head.lastIndexOf('('));
    for (let i = 0; i < rows.length; i += UPSERT_ROWS) {
      const chunk = rows.slice(i, i + UPSERT_ROWS);
      statements.push([`${insert}${chunk.map(() => row).join(', ')}${tail}`, chunk.flat()]);
    }
    await this.inTransaction(statements);
    return 'upserted';
  }

  /**
   * Rows of sessions not stored yet in one `COPY … (FORMAT binary)`: a single statement, so all or
   * none are written. For the server it is about half the work of the same rows as multi-row upserts
   * (no 6,500-parameter statement to parse and plan, no conflict check), which a rebuild, writing
   * every session of the ledger into empty tables, spends most of its database time on. False, and
   * nothing written, when a session of the batch is already stored (the caller upserts it instead);
   * any other failure is thrown.
   */
  async copyValues(rows: readonly unknown[][]): Promise<boolean> {
    await this.init();
    const data = binaryCopyRows(rows);
    const client = await this.pool.connect();
    // A checked-out client has no listener of the pool's: a connection lost during the copy is this
    // call's failure (through the copy stream), never an uncaught 'error' event.
    const ignore = () => undefined;
    client.on('error', ignore);
    let failed: Error | undefined;
    try {
      await new Promise<void>((done, fail) => {
        const copy = client.query(copyFrom(`COPY ${this.t} (${UPSERT_SESSION_COLUMNS}) FROM STDIN (FORMAT binary)`));
        // `on`, not `once`: when the server refuses the copy before the rows are all sent, the stream
        // can fail again later (its end has no connection left to be written to); that second error
        // must find a listener too.
        copy.on('error', fail).once('finish', done);
        copy.end(data);
      });
      return true;
    } catch (e) {
      failed = e instanceof Error ? e : new Error(String(e));
      if ((e as { code?: string }).code === UNIQUE_VIOLATION) return false;
      throw e;
    } finally {
      client.off('error', ignore);
      // After a failure the connection may still owe the end of the copy: it is closed, not pooled again.
      client.release(failed);
    }
  }

  async get(streamId: string, counter: string): Promise<SessionView | undefined> {
    await this.init();
    const r = await this.pool.query(`SELECT ${SESSION_COLUMNS} FROM ${this.t} WHERE stream_id = $1 AND counter = $2`, [streamId, counter]);
    return r.rows[0] ? sessionFromRow(r.rows[0]) : undefined;
  }

  async byTransaction(transactionId: string, emspId?: string): Promise<SessionView[]> {
    await this.init();
    // Named: each pooled connection prepares the eMSP's lookup (the most frequent request) once.
    const r = emspId
      ? await this.pool.query({ name: `${this.schema}.byTransaction.own`, text: `SELECT ${SESSION_COLUMNS} FROM ${this.t} WHERE transaction_id = $1 AND emsp_id = $2 ORDER BY seq`, values: [transactionId, emspId] })
      : await this.pool.query({ name: `${this.schema}.byTransaction.any`, text: `SELECT ${SESSION_COLUMNS} FROM ${this.t} WHERE transaction_id = $1 ORDER BY seq`, values: [transactionId] });
    return r.rows.map(sessionFromRow);
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
    if (q.owner === 'none') where.push('emsp_id IS NULL');
    if (q.stationId) add('station_id = ?', q.stationId);
    if (q.from) add('end_time >= ?', q.from);
    if (q.to) add('end_time < ?', q.to);
    args.push(q.limit + 1);
    const r = await this.pool.query(`SELECT seq, ${SESSION_COLUMNS} FROM ${this.t} WHERE ${where.join(' AND ')} ORDER BY seq LIMIT $${args.length}`, args);
    const more = r.rows.length > q.limit;
    const rows = r.rows.slice(0, q.limit);
    const end = rows.length > 0 ? encodeCursor(Number(rows[rows.length - 1].seq)) : (q.cursor ?? null);
    return { items: rows.map(sessionFromRow), nextCursor: more ? end : null, endCursor: end };
  }

  async *station(stationId: string, from?: string, to?: string): AsyncGenerator<SessionView> {
    for await (const rows of this.stationRows(stationId, from, to)) for (const row of rows) yield sessionFromRow(row);
  }

  /**
   * Keyset pagination over (stream, counter): any period is read in chunks, never whole, and each
   * chunk's query is sent before the previous chunk is handed over, so the database works while the
   * caller writes (one chunk ahead at most).
   */
  async *stationRows(stationId: string, from?: string, to?: string): AsyncGenerator<SessionRow[]> {
    await this.init();
    const chunk = (after: [string, string]) =>
      this.pool.query({
        name: `station-rows:${this.schema}`,
        text: `SELECT stream_id, counter, ${SESSION_COLUMNS} FROM ${this.t}
         WHERE station_id = $1 AND ($2::text IS NULL OR end_time >= $2) AND ($3::text IS NULL OR end_time < $3)
           AND (stream_id, length(counter), counter) > ($4, length($5::text), $5)
         ORDER BY stream_id, length(counter), counter LIMIT ${CHUNK}`,
        values: [stationId, from ?? null, to ?? null, after[0], after[1]],
      });
    // After the key (stream, counter), the counter's length as PostgreSQL counts it.
    let next = chunk(['', '']);
    for (;;) {
      const rows = (await next).rows as (SessionRow & { stream_id: string; counter: string })[];
      const last = rows[rows.length - 1];
      const more = rows.length === CHUNK;
      if (more) {
        next = chunk([last.stream_id, last.counter]);
        // Settled by the next turn of the loop, or left behind when the caller stops reading.
        next.catch(() => undefined);
      }
      if (rows.length > 0) yield rows;
      if (!more) return;
    }
  }

  async count(): Promise<number> {
    await this.init();
    return Number((await this.pool.query(`SELECT count(*) AS n FROM ${this.t}`)).rows[0].n);
  }

  async transactionToken(stationId: string, transactionId: string): Promise<SessionToken | undefined> {
    await this.init();
    const r = await this.pool.query(numbered(this.sql.transactionToken), [stationId, transactionId]);
    return r.rows[0] ? { uid: r.rows[0].uid, type: r.rows[0].type, source: 'ocpp' } : undefined;
  }

  async transactionTokens(stationId: string, transactionIds: readonly string[]): Promise<Map<string, SessionToken>> {
    await this.init();
    const r = await this.pool.query(`SELECT transaction_id, uid, type FROM "${this.schema}".transaction_tokens WHERE station_id = $1 AND transaction_id = ANY($2::text[])`, [stationId, transactionIds]);
    return new Map(r.rows.map((row) => [row.transaction_id as string, { uid: row.uid as string, type: row.type as string | null, source: 'ocpp' as const }]));
  }

  async addTransactionToken(stationId: string, transactionId: string, token: SessionToken): Promise<boolean> {
    await this.init();
    return ((await this.pool.query(numbered(this.sql.addTransactionToken), [stationId, transactionId, token.uid, token.type])).rowCount ?? 0) > 0;
  }

  async assignTransactionToken(stationId: string, transactionId: string, token: SessionToken, owner: SessionOwner): Promise<void> {
    const values = transactionTokenValues(stationId, transactionId, token, owner);
    await this.inTransaction([
      [this.sql.setSessionToken, values.token],
      [this.sql.setTransactionOwner, values.owner],
    ]);
  }

  async registeredToken(key: string): Promise<RegisteredTokenView | undefined> {
    await this.init();
    const r = await this.pool.query(numbered(this.sql.registeredToken), [key]);
    return r.rows[0] ? tokenFromRow(r.rows[0]) : undefined;
  }

  async registeredTokens(keys: readonly string[]): Promise<Map<string, RegisteredTokenView>> {
    await this.init();
    const r = await this.pool.query(this.sql.registeredTokens('= ANY($1::text[])'), [keys]);
    return new Map(r.rows.map((row) => [row.token_key as string, tokenFromRow(row)]));
  }

  async saveToken(token: RegisteredTokenView): Promise<void> {
    const values = tokenValues(token);
    await this.inTransaction([[this.sql.saveToken, values], token.status === 'registered' ? [this.sql.ownerRegistered, [token.emspId, values[0]]] : [this.sql.ownerWithdrawn, [values[0]]]]);
  }

  async tokens(q: TokenQuery): Promise<TokenPage> {
    await this.init();
    const own = q.emspId !== undefined;
    const r = await this.pool.query(numbered(this.sql.tokensPage(own)), [q.cursor ? decodeCursor(q.cursor) : 0, ...(own ? [q.emspId] : []), q.limit + 1]);
    const more = r.rows.length > q.limit;
    const rows = r.rows.slice(0, q.limit);
    return { items: rows.map(tokenFromRow), nextCursor: more ? encodeCursor(Number(rows[rows.length - 1].seq)) : null };
  }

  /** Statements that change the model together, in one database transaction. */
  private async inTransaction(statements: [string, unknown[]][]): Promise<void> {
    await this.init();
    await runInTransaction(
      this.pool,
      statements.map(([sql, values]) => [this.numberedOnce(sql), values] as const),
    );
  }

  private numberedOnce(sql: string): string {
    let text = this.numberedTexts.get(sql);
    if (text === undefined) {
      text = numbered(sql);
      if (this.numberedTexts.size < 64) this.numberedTexts.set(sql, text);
    }
    return text;
  }

  async dropSchema(): Promise<void> {
    await this.pool.query(`DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
