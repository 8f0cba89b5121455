import type { SessionView } from '../domain/SessionView';
import type { SessionStore } from './SessionStore';

const view = (stream: string, counter: number, emsp: string, end: string): SessionView =>
  ({ stationId: 'CP-1', streamId: stream, counter: String(counter), emspId: emsp, transactionId: `${stream}-${counter}`, endTime: end, status: 'recorded', conflictingOcmf: [] }) as unknown as SessionView;

/** Behaviour every sessions read model must show; run against SQLite and PostgreSQL. */
export function sessionStoreContract(name: string, open: () => Promise<SessionStore>): void {
  describe(`SessionStore contract: ${name}`, () => {
    let store: SessionStore;
    beforeAll(async () => {
      store = await open();
      for (const c of [10, 2, 1, 9]) await store.upsert(view('s-b', c, c % 2 ? 'A' : 'B', `2025-01-0${(c % 9) + 1}T00:00:00Z`));
      for (const c of [3, 1]) await store.upsert(view('s-a', c, 'A', '2025-01-05T00:00:00Z'));
    });
    afterAll(async () => store.close());

    it('upserts by (stream, counter) and finds by transaction, for one eMSP only', async () => {
      await store.upsert({ ...view('s-b', 2, 'B', '2025-01-03T00:00:00Z'), status: 'conflict' });
      expect(await store.count()).toBe(6);
      expect((await store.get('s-b', '2'))?.status).toBe('conflict');
      expect(await store.byTransaction('s-b-2', 'A')).toEqual([]);
      expect(await store.byTransaction('s-b-2', 'B')).toHaveLength(1);
    });

    it('pages with a cursor, filtered by eMSP, without repeats', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const p = await store.page({ emspId: 'A', limit: 2, cursor });
        seen.push(...p.items.map((i) => i.transactionId!));
        cursor = p.nextCursor ?? undefined;
      } while (cursor);
      expect(seen.sort()).toEqual(['s-a-1', 's-a-3', 's-b-1', 's-b-9']);
    });

    it('gives a cursor past the final page, which later finds only the sessions added since', async () => {
      const all = await store.page({ emspId: 'A', limit: 10 });
      expect(all.nextCursor).toBeNull();
      expect(all.endCursor).not.toBeNull();
      expect((await store.page({ emspId: 'A', limit: 10, cursor: all.endCursor! })).items).toEqual([]);
      await store.upsert({ ...view('s-c', 1, 'A', '2025-01-07T00:00:00Z'), stationId: 'CP-2' });
      const later = await store.page({ emspId: 'A', limit: 10, cursor: all.endCursor! });
      expect(later.items.map((i) => i.transactionId)).toEqual(['s-c-1']);
      expect(later.endCursor).not.toBe(all.endCursor);
    });

    it('reads a station in stream and numeric counter order, within a period', async () => {
      const all: string[] = [];
      for await (const s of store.station('CP-1')) all.push(`${s.streamId}#${s.counter}`);
      expect(all).toEqual(['s-a#1', 's-a#3', 's-b#1', 's-b#2', 's-b#9', 's-b#10']);
      const some: string[] = [];
      for await (const s of store.station('CP-1', '2025-01-02T00:00:00Z', '2025-01-04T00:00:00Z')) some.push(`${s.streamId}#${s.counter}`);
      expect(some).toEqual(['s-b#1', 's-b#2', 's-b#10']);
    });
  });
}
