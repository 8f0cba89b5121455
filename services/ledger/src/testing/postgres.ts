import { randomBytes } from 'node:crypto';
import { PostgresEventStore } from '../adapters/PostgresEventStore';

/** A store in a fresh schema of the local PostgreSQL (127.0.0.1:5432, database test, trust auth, or PG* variables). */
export function testPostgresStore(label: string): PostgresEventStore {
  return new PostgresEventStore({
    host: process.env.PGHOST ?? '127.0.0.1',
    port: Number(process.env.PGPORT ?? 5432),
    user: process.env.PGUSER ?? 'postgres',
    database: process.env.PGDATABASE ?? 'test',
    password: process.env.PGPASSWORD,
    schema: `t_${label}_${randomBytes(4).toString('hex')}`,
  });
}
