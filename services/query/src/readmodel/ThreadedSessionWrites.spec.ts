import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SessionView } from '../domain/SessionView';
import { SessionReadModel } from './SessionReadModel';
import { sessionStoreContract } from './sessionStoreContract';
import { ThreadedSessionWrites } from './ThreadedSessionWrites';

const dir = mkdtempSync(join(tmpdir(), 'threaded-session-writes-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

function open(options: { deferIndexes?: boolean } = {}): ThreadedSessionWrites {
  const file = join(dir, `model-${++files}.sqlite`);
  return new ThreadedSessionWrites(new SessionReadModel(file, options), file);
}

sessionStoreContract('sqlite, batches written on a thread', async () => open());

const view = (counter: number, streamId: string | null = 's') =>
  ({ stationId: 'CP-1', streamId, counter: String(counter), emspId: 'A', transactionId: `t${counter}`, endTime: null, status: 'recorded', conflictingOcmf: [] }) as unknown as SessionView;

describe('ThreadedSessionWrites', () => {
  it('reads every session of the batches written before, in order, one batch after another', async () => {
    const store = open({ deferIndexes: true });
    for (let page = 0; page < 20; page++) await store.upsertMany(Array.from({ length: 100 }, (_, i) => view(page * 100 + i + 1)));
    expect(await store.count()).toBe(2000);
    await store.upsertMany([{ ...view(7), status: 'conflict' } as SessionView]);
    expect((await store.get('s', '7'))?.status).toBe('conflict');
    await store.createIndexes();
    const seen: string[] = [];
    for await (const s of store.station('CP-1')) seen.push(s.counter);
    expect(seen).toEqual(Array.from({ length: 2000 }, (_, i) => String(i + 1)));
    await store.close();
  });

  it('keeps call order when calls are not awaited one by one: batches one after another, a read after the batches before it, a failure not lost', async () => {
    const store = open();
    const writes = [store.upsertMany([view(1)]), store.upsertMany([view(2)]), store.upsertMany([{ ...view(1), status: 'conflict' } as SessionView])];
    const read = store.get('s', '1');
    const saved = store.upsert({ ...view(4) });
    await Promise.all([...writes, saved]);
    expect((await read)?.status).toBe('conflict');
    expect(await store.count()).toBe(3);
    const failing = [store.upsertMany([view(5, null)]), store.upsertMany([view(6)])];
    await expect(Promise.all(failing)).rejects.toThrow(/NOT NULL/);
    await expect(store.count()).rejects.toThrow(/NOT NULL/);
    await store.close().catch(() => undefined);
  });

  it('refuses a model in memory, which the thread could not open again', async () => {
    const model = new SessionReadModel(':memory:');
    expect(() => new ThreadedSessionWrites(model, ':memory:')).toThrow(/in a file/);
    await model.close();
  });

  it('fails the next call when a batch could not be written, with what SQLite said', async () => {
    const store = open();
    await store.upsertMany([view(1), view(2, null)]);
    await expect(store.count()).rejects.toThrow(/NOT NULL constraint failed: sessions.stream_id/);
    await expect(store.close()).rejects.toThrow(/NOT NULL/);
  });

  it('writes nothing of a batch that failed', async () => {
    const file = join(dir, 'atomic.sqlite');
    const store = new ThreadedSessionWrites(new SessionReadModel(file), file);
    await store.upsertMany([view(1)]);
    await store.upsertMany([view(2), view(3, null)]);
    await expect(store.count()).rejects.toThrow(/NOT NULL/);
    await store.close().catch(() => undefined);
    const model = new SessionReadModel(file);
    expect(await model.count()).toBe(1);
    await model.close();
  });
});
