// The SHA-256 of a SQLite read model's contents, table by table (every column, in key order), to show
// that a change to the rebuild leaves what it writes as it was: rebuild the same ledger before and
// after, and compare the digests. `npx tsx services/query/bench/readModelDigest.ts <query.sqlite>`
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';

const ORDER: Record<string, string> = {
  sessions: 'stream_id, counter',
  transaction_tokens: 'station_id, transaction_id',
  tokens: 'token_key',
};

function main(file: string): void {
  const db = new Database(file, { readonly: true });
  for (const [table, order] of Object.entries(ORDER)) {
    const hash = createHash('sha256');
    let rows = 0;
    for (const row of db.prepare(`SELECT * FROM ${table} ORDER BY ${order}`).iterate()) {
      hash.update(JSON.stringify(row));
      hash.update('\n');
      rows++;
    }
    process.stdout.write(`${table}: ${rows} rows, sha256 ${hash.digest('hex')}\n`);
  }
  const indexes = db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name").all() as { name: string; sql: string | null }[];
  process.stdout.write(`indexes: ${indexes.map((i) => i.name).join(', ')}\n`);
  db.close();
}

if (!process.argv[2]) {
  process.stderr.write('usage: readModelDigest.ts <query.sqlite>\n');
  process.exitCode = 2;
} else main(process.argv[2]);
