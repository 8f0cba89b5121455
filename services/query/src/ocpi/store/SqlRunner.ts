/** The little a store needs of a SQL database: `?` placeholders in both dialects. */
export interface SqlRunner {
  readonly dialect: 'sqlite' | 'postgres';
  exec(ddl: string): Promise<void>;
  all<R = Record<string, unknown>>(sql: string, args?: unknown[]): Promise<R[]>;
  /** Runs a statement; returns how many rows it changed. */
  run(sql: string, args?: unknown[]): Promise<number>;
  close(): Promise<void>;
}
