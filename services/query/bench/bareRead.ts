// The limits of the export and rebuild benchmarks: rows read with the bare driver, each row's text
// touched (its length summed), nothing else.
import Database from 'better-sqlite3';
import { Client, type ClientConfig } from 'pg';

export interface BareRead {
  rows: number;
  seconds: number;
}

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

/** A SELECT read with better-sqlite3 alone (`.iterate()`), `text` naming the column whose text is touched. */
export function bareSqliteRead(file: string, sql: string, params: unknown[], text: string): BareRead {
  const db = new Database(file, { readonly: true });
  const stmt = db.prepare(sql);
  const t0 = process.hrtime.bigint();
  let rows = 0;
  let chars = 0;
  for (const r of stmt.iterate(...params) as Iterable<Record<string, string>>) {
    rows++;
    chars += r[text].length;
  }
  const s = seconds(t0);
  db.close();
  if (chars === 0) throw new Error(`the bare read found no text (${rows} rows)`);
  return { rows, seconds: s };
}

/** A SELECT read with pg alone, through a server-side cursor (`DECLARE … CURSOR`, `FETCH 1000`). */
export async function barePostgresRead(pg: ClientConfig, sql: string, params: unknown[], text: string): Promise<BareRead> {
  const client = new Client(pg);
  await client.connect();
  try {
    const t0 = process.hrtime.bigint();
    let rows = 0;
    let chars = 0;
    await client.query('BEGIN');
    await client.query({ text: `DECLARE bare NO SCROLL CURSOR FOR ${sql}`, values: params });
    for (;;) {
      const r = await client.query('FETCH 1000 FROM bare');
      for (const row of r.rows as Record<string, string>[]) chars += row[text].length;
      rows += r.rows.length;
      if (r.rows.length < 1000) break;
    }
    await client.query('COMMIT');
    const s = seconds(t0);
    if (chars === 0) throw new Error(`the bare read found no text (${rows} rows)`);
    return { rows, seconds: s };
  } finally {
    await client.end();
  }
}
