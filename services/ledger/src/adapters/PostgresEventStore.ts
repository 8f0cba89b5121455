import { Pool, type PoolConfig } from 'pg';
import type { AppendResult, EventStore, NewEvent, StoredEvent } from '../ports/EventStore';
import { APPEND_ONLY_TRIGGER, appendOnly, createTable, isMigrated, roles as rolesDdl, type LedgerRoles } from './postgresMigrations';
import { AppendBatcher, type AppendRequest } from './AppendBatcher';

/** The most events one grouped INSERT carries (7 parameters each; PostgreSQL takes at most 65,535). */
const MAX_GROUP_EVENTS = 1000;

/**
 * PostgreSQL event store. Data is stored as TEXT, not JSONB: JSONB would reorder keys and the hash
 * chain covers the exact text. Appends are one statement: the rows go in only if the stream is at the
 * expected revision, and the unique (stream, revision) constraint stops a concurrent writer. Appends
 * made while one is being written are written together (group commit).
 */
export class PostgresEventStore implements EventStore {
  readonly name = 'postgres';
  private readonly pool: Pool;
  private ready: Promise<void> | undefined;

  constructor(config: PoolConfig & { schema?: string }) {
    const { schema, ...pool } = config;
    this.schema = schema ?? 'public';
    this.pool = new Pool({ max: 8, ...pool });
    // An idle pooled connection that dies (the database stopped or restarted) is an 'error' event on
    // the pool; without a listener it is an uncaught exception that ends the process. The pool drops
    // that connection by itself, and the next query opens a new one or fails with its own error,
    // which the caller handles (ingest retries and reports not ready).
    this.pool.on('error', () => undefined);
  }

  private readonly schema: string;

  private table(): string {
    return `"${this.schema.replace(/"/g, '')}".ledger_events`;
  }

  /**
   * Creates the schema, the table and the append-only trigger when missing (`postgresMigrations.ts`).
   * A schema already migrated is left alone, so a writer role that may not run DDL can open it.
   */
  init(): Promise<void> {
    this.ready ??= (async () => {
      if ((await this.pool.query(isMigrated(this.schema))).rowCount) return;
      for (const sql of [...createTable(this.schema), ...appendOnly(this.schema)]) await this.pool.query(sql);
    })();
    return this.ready;
  }

  /** Creates the owner and writer roles and hands out the privileges (an administrator's connection). */
  async applyRoles(roles: LedgerRoles): Promise<void> {
    await this.init();
    for (const sql of rolesDdl(this.schema, roles)) await this.pool.query(sql);
  }

  /**
   * Appends at the expected revision. Appends that arrive while another is being written go out
   * together (AppendBatcher): one INSERT, one transaction, each stream's expected revision checked.
   */
  async append(streamId: string, expectedRevision: number, events: readonly NewEvent[]): Promise<AppendResult> {
    await this.init();
    return this.batcher.append(streamId, expectedRevision, events);
  }

  private readonly batcher = new AppendBatcher((group) => this.writeGroup(group), MAX_GROUP_EVENTS);

  /**
   * A group of appends as one statement: every row goes in only if every stream of the group is at
   * its expected revision (and the unique (stream, revision) constraint stops a concurrent writer).
   * When the group as a whole cannot go in, each append is tried on its own, in order, and answered
   * by itself: one stale append never costs the others theirs.
   */
  private async writeGroup(group: readonly AppendRequest[]): Promise<AppendResult[]> {
    if (group.length === 1) return [await this.appendOne(group[0])];
    const values: unknown[] = [];
    const rows: string[] = [];
    const expected: string[] = [];
    let total = 0;
    for (const a of group) {
      values.push(a.streamId, a.expectedRevision);
      expected.push(`($${values.length - 1}::text, $${values.length}::int)`);
      const s = values.length - 1;
      a.events.forEach((e, i) => {
        const b = values.length;
        values.push(a.expectedRevision + 1 + i, e.type, e.dataText, e.recordedAt, e.prevHash, e.hash);
        rows.push(`($${s}::text, $${b + 1}::int, $${b + 2}::text, $${b + 3}::text, $${b + 4}::text, $${b + 5}::text, $${b + 6}::text)`);
      });
      total += a.events.length;
    }
    try {
      const r = await this.pool.query({
        text: `INSERT INTO ${this.table()} (stream_id, revision, type, data, recorded_at, prev_hash, hash)
         SELECT v.* FROM (VALUES ${rows.join(', ')}) AS v
         WHERE NOT EXISTS (SELECT 1 FROM (VALUES ${expected.join(', ')}) AS e (stream_id, expected)
           WHERE (SELECT COALESCE(MAX(revision), -1) FROM ${this.table()} t WHERE t.stream_id = e.stream_id) <> e.expected)`,
        values,
      });
      if (r.rowCount === total) return group.map((a) => ({ ok: true, revision: a.expectedRevision + a.events.length }));
    } catch (e) {
      // A unique violation (another writer, or one stream twice in the group) or a deadlock between two
      // writers' groups: each append on its own answers which of them still holds.
      if (!['23505', '40P01'].includes((e as { code?: string }).code ?? '')) throw e;
    }
    const results: AppendResult[] = [];
    for (const a of group) results.push(await this.appendOne(a));
    return results;
  }

  private async appendOne({ streamId, expectedRevision, events }: AppendRequest): Promise<AppendResult> {
    // Scalar parameters (no array literals: pg would escape every data text character by character in
    // JS) and a named statement per batch size, parsed and planned once per connection.
    const values: unknown[] = [streamId, expectedRevision];
    const rows = events.map((e, i) => {
      const b = values.length;
      values.push(expectedRevision + 1 + i, e.type, e.dataText, e.recordedAt, e.prevHash, e.hash);
      return `($${b + 1}::int, $${b + 2}::text, $${b + 3}::text, $${b + 4}::text, $${b + 5}::text, $${b + 6}::text)`;
    });
    try {
      const r = await this.pool.query({
        name: `append${events.length}:${this.schema}`,
        text: `INSERT INTO ${this.table()} (stream_id, revision, type, data, recorded_at, prev_hash, hash)
         SELECT $1, v.* FROM (VALUES ${rows.join(', ')}) AS v
         WHERE (SELECT COALESCE(MAX(revision), -1) FROM ${this.table()} WHERE stream_id = $1) = $2`,
        values,
      });
      if (r.rowCount === events.length) return { ok: true, revision: expectedRevision + events.length };
    } catch (e) {
      if ((e as { code?: string }).code !== '23505') throw e;
    }
    const actual = await this.pool.query(`SELECT COALESCE(MAX(revision), -1) AS r FROM ${this.table()} WHERE stream_id = $1`, [streamId]);
    return { ok: false, reason: 'wrong-expected-revision', expected: expectedRevision, actual: Number(actual.rows[0].r) };
  }

  async read(streamId: string, fromRevision = 0, limit = 1_000_000): Promise<StoredEvent[]> {
    await this.init();
    const r = await this.pool.query({
      name: `read:${this.schema}`,
      text: `SELECT stream_id, revision, type, data, recorded_at, prev_hash, hash FROM ${this.table()}
       WHERE stream_id = $1 AND revision >= $2 ORDER BY revision LIMIT $3`,
      values: [streamId, fromRevision, limit],
    });
    return r.rows.map((row) => ({
      streamId: row.stream_id,
      revision: row.revision,
      type: row.type,
      dataText: row.data,
      recordedAt: row.recorded_at,
      prevHash: row.prev_hash,
      hash: row.hash,
    }));
  }

  async streams(prefix: string): Promise<string[]> {
    await this.init();
    const r = await this.pool.query(`SELECT DISTINCT stream_id FROM ${this.table()} WHERE starts_with(stream_id, $1) ORDER BY stream_id`, [prefix]);
    return r.rows.map((row) => row.stream_id as string);
  }

  /**
   * Test hook for tamper detection: rewrites stored data behind the ledger's back, the way the table's
   * owner could, through the maintenance procedure (trigger disabled for one transaction).
   */
  async tamper(streamId: string, revision: number, dataText: string): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`ALTER TABLE ${this.table()} DISABLE TRIGGER ${APPEND_ONLY_TRIGGER}`);
      await client.query(`UPDATE ${this.table()} SET data = $1 WHERE stream_id = $2 AND revision = $3`, [dataText, streamId, revision]);
      await client.query(`ALTER TABLE ${this.table()} ENABLE TRIGGER ${APPEND_ONLY_TRIGGER}`);
      await client.query('COMMIT');
    } catch (e) {
      await client.query('ROLLBACK');
      throw e;
    } finally {
      client.release();
    }
  }

  /** Drops the schema (tests use one schema per run). */
  async dropSchema(): Promise<void> {
    await this.pool.query(`DROP SCHEMA IF EXISTS "${this.schema.replace(/"/g, '')}" CASCADE`);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
