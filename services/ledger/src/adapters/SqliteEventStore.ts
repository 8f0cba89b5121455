import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AppendResult, EventStore, NewEvent, StoredEvent } from '../ports/EventStore';
import { AppendBatcher, type AppendRequest } from './AppendBatcher';

/**
 * Embedded event store: SQLite (better-sqlite3) in a local file, WAL mode. No server to install;
 * the default for `npm start`. One writer process at a time. The appends made in one turn of the
 * event loop are written in one transaction (AppendBatcher), each at its own expected revision.
 */
export class SqliteEventStore implements EventStore {
  readonly name = 'sqlite';
  private readonly db: Database.Database;
  private readonly insert: Database.Statement;
  private readonly head: Database.Statement;
  private readonly page: Database.Statement;
  private readonly list: Database.Statement;
  private readonly appendTx: (group: readonly AppendRequest[]) => AppendResult[];
  private readonly batcher = new AppendBatcher(async (group) => this.appendTx(group), 1000, setImmediate);

  constructor(file: string) {
    if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.exec(`CREATE TABLE IF NOT EXISTS ledger_events (
      global_position INTEGER PRIMARY KEY AUTOINCREMENT,
      stream_id TEXT NOT NULL,
      revision INTEGER NOT NULL,
      type TEXT NOT NULL,
      data TEXT NOT NULL,
      recorded_at TEXT NOT NULL,
      prev_hash TEXT NOT NULL,
      hash TEXT NOT NULL,
      UNIQUE (stream_id, revision))`);
    this.db.exec(SQLITE_APPEND_ONLY);
    this.insert = this.db.prepare(
      'INSERT INTO ledger_events (stream_id, revision, type, data, recorded_at, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    this.head = this.db.prepare('SELECT COALESCE(MAX(revision), -1) AS r FROM ledger_events WHERE stream_id = ?');
    this.page = this.db.prepare(
      'SELECT stream_id, revision, type, data, recorded_at, prev_hash, hash FROM ledger_events WHERE stream_id = ? AND revision >= ? ORDER BY revision LIMIT ?',
    );
    this.list = this.db.prepare("SELECT DISTINCT stream_id FROM ledger_events WHERE stream_id >= ? AND stream_id < ? || '\uffff' ORDER BY stream_id");
    const appendOne = ({ streamId, expectedRevision: expected, events }: AppendRequest): AppendResult => {
      const actual = (this.head.get(streamId) as { r: number }).r;
      if (actual !== expected) return { ok: false, reason: 'wrong-expected-revision', expected, actual };
      events.forEach((e, i) => this.insert.run(streamId, expected + 1 + i, e.type, e.dataText, e.recordedAt, e.prevHash, e.hash));
      return { ok: true, revision: expected + events.length };
    };
    this.appendTx = this.db.transaction((group: readonly AppendRequest[]) => group.map(appendOne));
  }

  append(streamId: string, expectedRevision: number, events: readonly NewEvent[]): Promise<AppendResult> {
    return this.batcher.append(streamId, expectedRevision, events);
  }

  async read(streamId: string, fromRevision = 0, limit = 1_000_000): Promise<StoredEvent[]> {
    return (this.page.all(streamId, fromRevision, limit) as Row[]).map(toStored);
  }

  async streams(prefix: string): Promise<string[]> {
    return (this.list.all(prefix, prefix) as { stream_id: string }[]).map((r) => r.stream_id);
  }

  /**
   * Test hook for tamper detection: rewrites stored data behind the ledger's back, the way someone
   * with write access to the file would: drop the append-only triggers, update, put them back.
   */
  tamper(streamId: string, revision: number, dataText: string): void {
    this.db.transaction(() => {
      this.db.exec('DROP TRIGGER ledger_events_no_update');
      this.db.prepare('UPDATE ledger_events SET data = ? WHERE stream_id = ? AND revision = ?').run(dataText, streamId, revision);
      this.db.exec(SQLITE_APPEND_ONLY);
    })();
  }

  async close(): Promise<void> {
    this.db.close();
  }
}

/**
 * The event table is append-only in the file itself, not only in the code: UPDATE and DELETE abort.
 * (SQLite has no roles: whoever can write the file can drop these triggers; the hash chain and the
 * signed checkpoints are what show such an edit.)
 */
const SQLITE_APPEND_ONLY = `
  CREATE TRIGGER IF NOT EXISTS ledger_events_no_update BEFORE UPDATE ON ledger_events
  BEGIN SELECT RAISE(ABORT, 'ledger_events is append-only: UPDATE refused (services/ledger/README.md, "Append-only store")'); END;
  CREATE TRIGGER IF NOT EXISTS ledger_events_no_delete BEFORE DELETE ON ledger_events
  BEGIN SELECT RAISE(ABORT, 'ledger_events is append-only: DELETE refused (services/ledger/README.md, "Append-only store")'); END;`;

interface Row {
  stream_id: string;
  revision: number;
  type: string;
  data: string;
  recorded_at: string;
  prev_hash: string;
  hash: string;
}

function toStored(r: Row): StoredEvent {
  return { streamId: r.stream_id, revision: r.revision, type: r.type, dataText: r.data, recordedAt: r.recorded_at, prevHash: r.prev_hash, hash: r.hash };
}
