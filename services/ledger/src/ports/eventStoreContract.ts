import { chainHash, GENESIS_HASH } from '../domain/HashChain';
import { NO_STREAM, type EventStore, type NewEvent } from './EventStore';

/**
 * The behaviour every EventStore adapter must show, as one jest suite run against each adapter:
 * append with expected revision, refuse a stale or early revision, read in order and in pages,
 * list streams by prefix, keep data text byte-exact.
 */
export function eventStoreContract(name: string, open: () => Promise<EventStore>): void {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    let n = 0;
    const stream = () => `contract-${Date.now().toString(36)}-${++n}`;
    const ev = (type: string, i: number, prev = GENESIS_HASH, streamId = 's'): NewEvent => {
      const dataText = `{"i":${i},"z":"ü|\\"x\\"","a":1}`;
      return { type, dataText, recordedAt: '2025-01-01T00:00:00.000Z', prevHash: prev, hash: chainHash(prev, streamId, i, type, dataText) };
    };

    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => {
      await store.close();
    });

    it('appends to a new stream and reads back in order, data text byte-exact', async () => {
      const s = stream();
      expect(await store.append(s, NO_STREAM, [ev('A', 0), ev('B', 1)])).toEqual({ ok: true, revision: 1 });
      const read = await store.read(s);
      expect(read.map((e) => [e.revision, e.type])).toEqual([
        [0, 'A'],
        [1, 'B'],
      ]);
      expect(read[0].dataText).toBe(ev('A', 0).dataText);
      expect(read[1].hash).toBe(ev('B', 1).hash);
    });

    it('refuses an append at a stale or future expected revision, and writes nothing', async () => {
      const s = stream();
      await store.append(s, NO_STREAM, [ev('A', 0)]);
      expect(await store.append(s, NO_STREAM, [ev('X', 0)])).toMatchObject({ ok: false, reason: 'wrong-expected-revision', actual: 0 });
      expect(await store.append(s, 5, [ev('X', 6)])).toMatchObject({ ok: false, actual: 0 });
      expect(await store.append(s, 0, [ev('B', 1)])).toEqual({ ok: true, revision: 1 });
      expect((await store.read(s)).map((e) => e.type)).toEqual(['A', 'B']);
    });

    it('lets exactly one of two concurrent writers at the same revision win', async () => {
      const s = stream();
      await store.append(s, NO_STREAM, [ev('A', 0)]);
      const results = await Promise.all([store.append(s, 0, [ev('W1', 1)]), store.append(s, 0, [ev('W2', 1)])]);
      expect(results.filter((r) => r.ok)).toHaveLength(1);
      expect(await store.read(s)).toHaveLength(2);
    });

    it('answers each of many appends made at once on its own: a stale one is refused, the others are written', async () => {
      const base = stream();
      await store.append(`${base}-stale`, NO_STREAM, [ev('A', 0)]);
      const at = (i: number) => `${base}-${i}`;
      const results = await Promise.all([
        ...Array.from({ length: 6 }, (_, i) => store.append(at(i), NO_STREAM, [ev('A', 0), ev('B', 1)])),
        store.append(`${base}-stale`, NO_STREAM, [ev('X', 0)]),
        ...Array.from({ length: 6 }, (_, i) => store.append(at(i + 6), NO_STREAM, [ev('A', 0)])),
      ]);
      expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, reason: 'wrong-expected-revision', expected: NO_STREAM, actual: 0 }]);
      expect(results[6].ok).toBe(false);
      for (let i = 0; i < 12; i++) expect((await store.read(at(i))).map((e) => e.type)).toEqual(i < 6 ? ['A', 'B'] : ['A']);
      expect((await store.read(`${base}-stale`)).map((e) => e.type)).toEqual(['A']);
      const again = await Promise.all([store.append(at(0), 1, [ev('C', 2)]), store.append(at(1), 1, [ev('C', 2)]), store.append(at(6), 0, [ev('C', 1)])]);
      expect(again).toEqual([
        { ok: true, revision: 2 },
        { ok: true, revision: 2 },
        { ok: true, revision: 1 },
      ]);
    });

    it('reads from a revision with a limit, and an unknown stream as empty', async () => {
      const s = stream();
      await store.append(s, NO_STREAM, Array.from({ length: 7 }, (_, i) => ev('E', i)));
      expect((await store.read(s, 2, 3)).map((e) => e.revision)).toEqual([2, 3, 4]);
      expect(await store.read(`${s}-none`)).toEqual([]);
    });

    it('lists streams by prefix', async () => {
      const base = stream();
      await store.append(`${base}-a`, NO_STREAM, [ev('A', 0)]);
      await store.append(`${base}-b`, NO_STREAM, [ev('A', 0)]);
      await store.append(`other-${base}`, NO_STREAM, [ev('A', 0)]);
      expect(await store.streams(`${base}-`)).toEqual([`${base}-a`, `${base}-b`]);
    });
  });
}
