import { Pool, type PoolConfig } from 'pg';
import { runInTransaction } from '../../readmodel/runInTransaction';
import type { SqlRunner } from './SqlRunner';

/** SqlRunner over PostgreSQL: every statement runs with `search_path` set to the store's own schema. */
export class PostgresRunner implements SqlRunner {
  readonly dialect = 'postgres' as const;
  private readonly pool: Pool;

  constructor(
    config: PoolConfig,
    readonly schema: string,
  ) {
    if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema)) throw new Error(`not a PostgreSQL schema name: ${JSON.stringify(schema.slice(0, 70))}`);
    this.pool = new Pool({ max: 4, ...config, options: `-c search_path=${schema}` });
    // An idle pooled connection that dies (the database stopped or restarted) is an 'error' event on
    // the pool; without a listener it is an uncaught exception that ends the process. The pool drops
    // that connection by itself, and the next query opens a new one or fails with its own error,
    // which the caller handles (ingest retries and reports not ready).
    this.pool.on('error', () => undefined);
  }

  async exec(ddl: string): Promise<void> {
    await this.pool.query(`CREATE SCHEMA IF NOT EXISTS "${this.schema}"`);
    await this.pool.query(ddl);
  }

  async all<R>(sql: string, args: unknown[] = []): Promise<R[]> {
    return (await this.pool.query(numbered(sql), args)).rows as R[];
  }

  async run(sql: string, args: unknown[] = []): Promise<number> {
    return (await this.pool.query(numbered(sql), args)).rowCount ?? 0;
  }

  async runAtomically(statements: readonly { sql: string; args?: unknown[] }[]): Promise<void> {
    await runInTransaction(
      this.pool,
      statements.map((s) => [numbered(s.sql), s.args ?? []] as const),
    );
  }

  async dropSchema(): Promise<void> {
    await this.pool.query(`DROP SCHEMA IF EXISTS "${this.schema}" CASCADE`);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}

/** `?` placeholders as PostgreSQL's `$1, $2, …` (the store's SQL holds no other `?`). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}
