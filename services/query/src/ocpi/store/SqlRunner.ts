/** The little a store needs of a SQL database: `?` placeholders in both dialects. */
export interface SqlRunner {
  readonly dialect: 'sqlite' | 'postgres';
  exec(ddl: string): Promise<void>;
  all<R = Record<string, unknown>>(sql: string, args?: unknown[]): Promise<R[]>;
  /** Runs a statement; returns how many rows it changed. */
  run(sql: string, args?: unknown[]): Promise<number>;
  /** Runs the statements in one transaction: all or none. */
  runAtomically(statements: readonly { sql: string; args?: unknown[] }[]): Promise<void>;
  close(): Promise<void>;
}

/** Whether an error is a database's unique or primary-key violation (SQLite, PostgreSQL 23505). */
export function isUniqueViolation(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}
