import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from './SqliteEventStore';

describe('SQLite store: append-only in the file', () => {
  it('refuses UPDATE and DELETE on the event table, from any connection; appends still work', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ledger-ao-')), 'ledger.sqlite');
    const store = new SqliteEventStore(file);
    const event = { type: 'T', dataText: '{}', recordedAt: 't', prevHash: '0', hash: '1' };
    expect(await store.append('s', -1, [event])).toEqual({ ok: true, revision: 0 });
    const other = new Database(file);
    expect(() => other.prepare("UPDATE ledger_events SET data = '{\"x\":1}'").run()).toThrow(/append-only: UPDATE refused/);
    expect(() => other.prepare('DELETE FROM ledger_events').run()).toThrow(/append-only: DELETE refused/);
    expect(() => other.prepare('UPDATE ledger_events SET hash = ? WHERE revision = 0').run('2')).toThrow(/append-only/);
    other.close();
    expect(await store.append('s', 0, [{ ...event, prevHash: '1', hash: '2' }])).toEqual({ ok: true, revision: 1 });
    expect((await store.read('s')).map((e) => e.dataText)).toEqual(['{}', '{}']);
    await store.close();
    // Reopening keeps the triggers (created once, kept in the file).
    const again = new Database(file);
    expect(() => again.prepare('DELETE FROM ledger_events').run()).toThrow(/append-only/);
    again.close();
  });
});
