// The worker thread of ThreadedSessionWrites: its own connection to the SQLite read model, set up as
// SessionReadModel sets up a model being rebuilt, writing each batch of session rows it is sent in one
// transaction and answering when the batch is committed (or why it failed).
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

export interface SessionWriterData {
  file: string;
  /** The upsert statement, with the values of `sessionValues` as its parameters. */
  upsertSql: string;
  mmapBytes: number;
}

/** A batch of `sessionValues` rows, or the end. */
export type SessionWriterRequest = { rows: unknown[][] } | { close: true };
export type SessionWriterAnswer = { ok: true } | { ok: false; message: string };

const { file, upsertSql, mmapBytes } = workerData as SessionWriterData;
const db = new Database(file);
db.pragma('journal_mode = WAL');
db.pragma('synchronous = NORMAL');
db.pragma(`mmap_size = ${mmapBytes}`);
const upsert = db.prepare(upsertSql);
const writeAll = db.transaction((rows: unknown[][]) => {
  for (const row of rows) upsert.run(...row);
});

const port = parentPort!;
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
