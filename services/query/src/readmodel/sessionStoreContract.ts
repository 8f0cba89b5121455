import { tokenKey } from '@metrology-ledger/ledger';
import type { SessionView } from '../domain/SessionView';
import type { SessionToken } from '../domain/SessionView';
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

    it('reads a station of more rows than a chunk in export order, chunk ends falling inside a counter length, at its end and at a stream\'s end', async () => {
      // A stream of one, then counters 1..1499 (lengths 1 to 4), then a stream of two; every seventh
      // session outside the period. With chunks of 500 the whole read's chunks end inside a counter
      // length (w-b#499), at the end of one (w-b#999) and at the end of a stream (w-b#1499); the
      // period's chunks elsewhere again.
      const runs: [string, number][] = [['w-a', 1], ['w-b', 1499], ['w-c', 2]];
      const views: SessionView[] = [];
      for (const [stream, n] of runs) for (let c = n; c >= 1; c--) views.push({ ...view(stream, c, 'A', c % 7 === 0 ? '2024-12-31T00:00:00Z' : '2025-03-01T00:00:00Z'), stationId: 'CP-W' });
      await store.upsertMany(views);
      const expected = runs.flatMap(([stream, n]) => Array.from({ length: n }, (_, i) => `${stream}#${i + 1}`));
      const read = async (from?: string, to?: string) => {
        const seen: string[] = [];
        for await (const s of store.station('CP-W', from, to)) seen.push(`${s.streamId}#${s.counter}`);
        return seen;
      };
      expect(await read()).toEqual(expected);
      expect(await read('2025-01-01T00:00:00Z', '2026-01-01T00:00:00Z')).toEqual(expected.filter((k) => Number(k.split('#')[1]) % 7 !== 0));
    });

    describe('ownership', () => {
      const unowned = (counter: number, tx: string, token: SessionToken | null = null): SessionView =>
        ({
          ...view('s-own', counter, null as unknown as string, '2025-02-01T00:00:00Z'),
          stationId: 'CP-OWN',
          transactionId: tx,
          emspSource: null,
          token,
          identification: { status: true, type: 'ISO14443', data: 'AABBCCDD' },
        }) as SessionView;
      const rfid: SessionToken = { uid: 'aabbccdd', type: null, source: 'ocpp' };
      const own = async (emspId: string) => (await store.page({ emspId, stationId: 'CP-OWN', limit: 50 })).items.map((i) => i.counter);
      const nobody = async () => (await store.page({ owner: 'none', stationId: 'CP-OWN', limit: 50 })).items.map((i) => i.counter);

      it('keeps a session whose token is unknown for no eMSP, and gives it to its eMSP once the token is registered', async () => {
        await store.upsert(unowned(1, 'tx-own-1', { uid: 'AABBCCDD', type: 'ISO14443', source: 'ocmf' }));
        expect(await nobody()).toEqual(['1']);
        expect(await own('DE-ALP')).toEqual([]);
        await store.saveToken({ uid: 'AABBCCDD', tokenType: 'RFID', contractId: null, emspId: 'DE-ALP', status: 'registered', changedBy: 'operator', changedAt: 't1' });
        expect(await own('DE-ALP')).toEqual(['1']);
        expect(await nobody()).toEqual([]);
        expect((await store.get('s-own', '1'))).toMatchObject({ emspId: 'DE-ALP', emspSource: 'registry', token: { uid: 'AABBCCDD', source: 'ocmf' } });
        expect(await store.byTransaction('tx-own-1', 'DE-ALP')).toHaveLength(1);
      });

      it('gives a transaction its OCPP token once (the first wins), and its sessions the owner; a message-named eMSP stays', async () => {
        await store.upsert(unowned(2, 'tx-own-2'));
        await store.upsert({ ...unowned(3, 'tx-own-2'), emspId: 'DE-MSG', emspSource: 'message' });
        expect(await store.addTransactionToken('CP-OWN', 'tx-own-2', rfid)).toBe(true);
        expect(await store.addTransactionToken('CP-OWN', 'tx-own-2', { ...rfid, uid: 'other' })).toBe(false);
        expect(await store.transactionToken('CP-OWN', 'tx-own-2')).toEqual(rfid);
        await store.assignTransactionToken('CP-OWN', 'tx-own-2', rfid, { emspId: 'DE-ALP', emspSource: 'registry' });
        expect(await store.get('s-own', '2')).toMatchObject({ emspId: 'DE-ALP', emspSource: 'registry', token: rfid, tokenMismatch: null });
        expect(await store.get('s-own', '3')).toMatchObject({ emspId: 'DE-MSG', emspSource: 'message', token: rfid });
      });

      it('flags an OCPP token that differs from the signed identification', async () => {
        await store.upsert({ ...unowned(4, 'tx-own-4'), token: { uid: '11223344', type: null, source: 'ocpp' } });
        expect((await store.get('s-own', '4'))?.tokenMismatch).toContain('differs from the signed identification ID "AABBCCDD"');
      });

      it('takes a withdrawn token back from its eMSP, to the EMAID provider when the token is one', async () => {
        const emaid: SessionToken = { uid: 'DE-ABC-C12345678-X', type: 'eMAID', source: 'ocpp' };
        await store.upsert({ ...unowned(5, 'tx-own-5', emaid), emspId: 'DE-ABC', emspSource: 'emaid' });
        await store.saveToken({ uid: 'de-abc-c12345678-x', tokenType: 'OTHER', contractId: null, emspId: 'DE-BET', status: 'registered', changedBy: 'operator', changedAt: 't1' });
        expect(await store.get('s-own', '5')).toMatchObject({ emspId: 'DE-BET', emspSource: 'registry' });
        await store.saveToken({ uid: 'de-abc-c12345678-x', tokenType: 'OTHER', contractId: null, emspId: 'DE-BET', status: 'withdrawn', changedBy: 'operator', changedAt: 't2' });
        expect(await store.get('s-own', '5')).toMatchObject({ emspId: 'DE-ABC', emspSource: 'emaid' });
        await store.saveToken({ uid: 'AABBCCDD', tokenType: 'RFID', contractId: null, emspId: 'DE-ALP', status: 'withdrawn', changedBy: 'emsp:DE-ALP', changedAt: 't3' });
        expect(await nobody()).toContain('1');
      });

      it('lists the registry in registration order, an eMSP its registered tokens only, page by page', async () => {
        await store.saveToken({ uid: 'T-3', tokenType: 'RFID', contractId: 'DE-ALP-C00000003-1', emspId: 'DE-ALP', status: 'registered', changedBy: 'emsp:DE-ALP', changedAt: 't4' });
        const all = await store.tokens({ limit: 2 });
        expect(all.items.map((t) => t.uid)).toEqual(['AABBCCDD', 'de-abc-c12345678-x']);
        expect((await store.tokens({ limit: 2, cursor: all.nextCursor! })).items.map((t) => [t.uid, t.status])).toEqual([['T-3', 'registered']]);
        expect((await store.tokens({ emspId: 'DE-ALP', limit: 10 })).items).toEqual([{ uid: 'T-3', tokenType: 'RFID', contractId: 'DE-ALP-C00000003-1', emspId: 'DE-ALP', status: 'registered', changedBy: 'emsp:DE-ALP', changedAt: 't4' }]);
        expect(await store.registeredToken('AABBCCDD')).toBeUndefined();
      });

      it('reads the tokens of several transactions and registered tokens in one call each, and upserts a batch (the later view of a session wins)', async () => {
        expect(await store.transactionTokens('CP-OWN', ['tx-own-2', 'tx-unknown'])).toEqual(new Map([['tx-own-2', rfid]]));
        expect(await store.transactionTokens('CP-OTHER', ['tx-own-2'])).toEqual(new Map());
        await store.saveToken({ uid: 'T-B1', tokenType: 'RFID', contractId: null, emspId: 'DE-B1', status: 'registered', changedBy: 'operator', changedAt: 't1' });
        const found = await store.registeredTokens([tokenKey('T-B1'), 'nobody']);
        expect([...found.keys()]).toEqual([tokenKey('T-B1')]);
        expect(found.get(tokenKey('T-B1'))).toMatchObject({ uid: 'T-B1', emspId: 'DE-B1' });
        await store.upsertMany([unowned(20, 'tx-own-20'), { ...unowned(21, 'tx-own-21'), emspId: 'DE-X', emspSource: 'message' }, { ...unowned(20, 'tx-own-20'), status: 'conflict' }]);
        expect(await store.get('s-own', '20')).toMatchObject({ status: 'conflict', emspId: null });
        expect(await store.get('s-own', '21')).toMatchObject({ emspId: 'DE-X', emspSource: 'message' });
        await store.upsertMany([]);
      });
    });
  });
}
