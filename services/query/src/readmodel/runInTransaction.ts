import type { Pool } from 'pg';

/** Runs the statements (PostgreSQL's `$n` placeholders) on one pooled connection in one transaction: all or none. */
export async function runInTransaction(pool: Pool, statements: Iterable<readonly [string, unknown[]]>): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    for (const [sql, values] of statements) await client.query(sql, values);
    await client.query('COMMIT');
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.release();
  }
}
