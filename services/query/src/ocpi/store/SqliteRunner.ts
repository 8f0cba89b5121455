import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { SqlRunner } from './SqlRunner';

/** SqlRunner over a SQLite file (WAL), or `:memory:`. */
export class SqliteRunner implements SqlRunner {
  readonly dialect = 'sqlite' as const;
  private readonly db: Database.Database;

  constructor(file = ':memory:') {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
  }

  async exec(ddl: string): Promise<void> {
    this.db.exec(ddl);
  }

  async all<R>(sql: string, args: unknown[] = []): Promise<R[]> {
    return this.db.prepare(sql).all(...args) as R[];
  }

  async run(sql: string, args: unknown[] = []): Promise<number> {
    return this.db.prepare(sql).run(...args).changes;
  }

  async runAtomically(statements: readonly { sql: string; args?: unknown[] }[]): Promise<void> {
    // better-sqlite3 runs the whole transaction synchronously: no other caller's statement can come between.
    this.db.transaction(() => {
      for (const s of statements) this.db.prepare(s.sql).run(...(s.args ?? []));
    })();
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
