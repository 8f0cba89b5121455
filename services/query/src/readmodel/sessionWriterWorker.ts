// The worker thread of ThreadedSessionWrites: its own connection to the SQLite read model, set up as
// SessionReadModel sets up a model being rebuilt, writing each batch of session rows it is sent in one
// transaction and answering when the batch is committed (or why it failed).
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

export interface SessionWriterData {
  /** A PostgreSQL read model (its connection and schema) instead of the SQLite file. */
  postgres?: { connectionString?: string; schema: string };
  file: string;
  /** The upsert statement, with the values of `sessionValues` as its parameters. */
  upsertSql: string;
  mmapBytes: number;
}

/** A batch of `sessionValues` rows, or the end. */
export type SessionWriterRequest = { rows: unknown[][] } | { close: true };
/** `written`: how a PostgreSQL batch went in (`PostgresSessionStore.upsertValues`). */
export type SessionWriterAnswer = { ok: true; written?: 'copied' | 'upserted' | 'none' } | { ok: false; message: string };

const data = workerData as SessionWriterData;
const port = parentPort!;

if (data.postgres) {
  // PostgreSQL: the store's own writes on a pool of this thread's, one batch at a time: copied into
  // the rebuild's empty tables, upserted when a session of the batch is already there (`bulkLoad`).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PostgresSessionStore } = require('./PostgresSessionStore') as typeof import('./PostgresSessionStore');
  const store = new PostgresSessionStore({ connectionString: data.postgres.connectionString, schema: data.postgres.schema, deferIndexes: true, bulkLoad: true });
  port.on('message', (m: SessionWriterRequest) => {
    ('close' in m ? store.close().then(() => undefined) : store.upsertValues(m.rows)).then(
      (written) => port.postMessage((written ? { ok: true, written } : { ok: true }) satisfies SessionWriterAnswer),
      (e: unknown) => port.postMessage({ ok: false, message: (e as Error)?.message ?? String(e) } satisfies SessionWriterAnswer),
    );
  });
} else {
  const db = new Database(data.file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma(`mmap_size = ${data.mmapBytes}`);
  const upsert = db.prepare(data.upsertSql);
  const writeAll = db.transaction((rows: unknown[][]) => {
    for (const row of rows) upsert.run(...row);
  });
  port.on('message', (m: SessionWriterRequest) => {
    let answer: SessionWriterAnswer;
    try {
      if ('close' in m) db.close();
      else writeAll(m.rows);
      answer = { ok: true };
    } catch (e) {
      answer = { ok: false, message: (e as Error)?.message ?? String(e) };
    }
    port.postMessage(answer);
  });
}
