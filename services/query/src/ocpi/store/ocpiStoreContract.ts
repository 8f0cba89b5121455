import type { Cdr } from '../domain/Cdr';
import type { OcpiStore } from './OcpiStore';
import { withheldKey } from './SqlOcpiStore';

const cdr = (id: string, lastUpdated: string) => ({ id, last_updated: lastUpdated }) as unknown as Cdr;

/** Behaviour every OCPI store must show; run against SQLite and PostgreSQL. */
export function ocpiStoreContract(name: string, open: () => Promise<OcpiStore>): void {
  describe(`OcpiStore contract: ${name}`, () => {
    let store: OcpiStore;
    beforeAll(async () => {
      store = await open();
    });
    afterAll(async () => store.close());

    it('binds a party to one eMSP id and one country code + party id, found by token digest only', async () => {
      expect(await store.createParty({ emspId: 'DE-EMP', countryCode: 'DE', partyId: 'EMP', name: 'Emp', tokenADigest: 'a1' })).toBe('created');
      expect(await store.createParty({ emspId: 'OTHER', countryCode: 'DE', partyId: 'EMP', name: 'x', tokenADigest: 'a2' })).toBe('exists');
      expect(await store.partyByToken('a1')).toMatchObject({ token: 'A', party: { emspId: 'DE-EMP', state: 'awaiting-registration' } });
      await store.register('DE-EMP', { theirToken: 'b', theirVersionsUrl: 'http://e/v', theirCdrsUrl: 'http://e/cdrs', theirCredentials: { token: 'b', url: 'http://e/v', roles: [] }, tokenCDigest: 'c1' }, '2026-01-01T00:00:00.000Z');
      expect(await store.partyByToken('a1')).toBeUndefined();
      expect(await store.partyByToken('c1')).toMatchObject({ token: 'C', party: { state: 'registered', theirCdrsUrl: 'http://e/cdrs', theirToken: 'b' } });
      await store.unregister('DE-EMP');
      expect(await store.partyByToken('c1')).toBeUndefined();
      expect((await store.party('DE-EMP'))?.state).toBe('unregistered');
    });

    it('adds a CDR once, pages it in creation order within [from, to), and counts the total', async () => {
      expect(await store.addCdr({ cdr: cdr('c2', '2026-01-02T00:00:00.000Z'), emspId: 'E', streamId: 's', counter: '2' })).toBe(true);
      expect(await store.addCdr({ cdr: cdr('c1', '2026-01-01T00:00:00.000Z'), emspId: 'E', streamId: 's', counter: '1' })).toBe(true);
      expect(await store.addCdr({ cdr: cdr('c1', '2026-01-05T00:00:00.000Z'), emspId: 'E', streamId: 's', counter: '1' })).toBe(false);
      await store.addCdr({ cdr: cdr('x', '2026-01-01T00:00:00.000Z'), emspId: 'F', streamId: 's', counter: '3' });
      const all = await store.cdrPage({ via: null, emspId: 'E' }, { offset: 0, limit: 10 });
      expect(all).toEqual({ total: 2, items: [cdr('c2', '2026-01-02T00:00:00.000Z'), cdr('c1', '2026-01-01T00:00:00.000Z')] });
      expect(await store.cdrPage({ via: null, emspId: 'E' }, { offset: 1, limit: 1 })).toMatchObject({ total: 2, items: [{ id: 'c1' }] });
      expect(await store.cdrPage({ via: null, emspId: 'E' }, { offset: 0, limit: 10, from: '2026-01-01T00:00:00.000Z', to: '2026-01-02T00:00:00.000Z' })).toMatchObject({ total: 1, items: [{ id: 'c1' }] });
    });

    it('keeps a CDR pending until delivered: a claim is taken once, a failure reschedules, a withdrawn one leaves the list', async () => {
      const due = await store.due('2026-01-03T00:00:00.000Z', 10);
      expect(due.map((d) => d.cdr.id)).toEqual(['c1', 'x', 'c2']);
      expect(await store.claim('c1', due[0].nextAttemptAt!, '2026-01-03T00:01:00.000Z')).toBe(true);
      expect(await store.claim('c1', due[0].nextAttemptAt!, '2026-01-03T00:01:00.000Z')).toBe(false);
      await store.failed('c1', 1, '2026-01-03T00:05:00.000Z', 'connection refused');
      expect(await store.cdr('c1')).toMatchObject({ state: 'pending', attempts: 1, lastError: 'connection refused' });
      expect((await store.due('2026-01-03T00:00:00.000Z', 10)).map((d) => d.cdr.id)).toEqual(['x', 'c2']);
      expect(await store.retryNow('F', '2026-01-03T00:00:00.000Z')).toBe(0);
      expect(await store.retryNow('E', '2026-01-03T00:00:00.000Z')).toBe(1);
      expect((await store.due('2026-01-03T00:00:00.000Z', 10)).map((d) => d.cdr.id)).toEqual(['x', 'c2', 'c1']);
      await store.failed('c1', 1, '2026-01-03T00:05:00.000Z', 'connection refused');
      await store.delivered('c2', '2026-01-03T00:00:01.000Z', 'http://e/cdrs/c2');
      await store.failed('c2', 9, '2026-01-04T00:00:00.000Z', 'late failure');
      expect(await store.cdr('c2')).toMatchObject({ state: 'delivered', attempts: 1, location: 'http://e/cdrs/c2', lastError: null });
      await store.withdraw('x', 'the session is now in conflict');
      expect(await store.cdrPage({ via: null, emspId: 'F' }, { offset: 0, limit: 10 })).toEqual({ total: 0, items: [] });
      expect(await store.deliveries()).toEqual([
        { state: 'delivered', count: 1 },
        { state: 'pending', count: 1 },
        { state: 'withdrawn', count: 1 },
      ]);
    });

    it('credits a delivered CDR once: the credit CDR waits in the outbox, is listed for its eMSP, and the credit keeps its reason', async () => {
      const original = (await store.cdr('c2'))!;
      const credit = { ...cdr('c2-C', '2026-01-06T00:00:00.000Z'), credit: true, credit_reference_id: 'c2' } as Cdr;
      const c = { credit, original, stationId: 'CP-1', transactionId: 't2', reason: 'conflict' as const, message: 'a second packet', at: '2026-01-06T00:00:00.000Z' };
      expect(await store.addCredit(c)).toBe(true);
      expect(await store.addCredit(c)).toBe(false);
      expect(await store.cdr('c2-C')).toMatchObject({ state: 'pending', emspId: 'E', streamId: 's', counter: '2', cdr: { credit: true, credit_reference_id: 'c2' } });
      expect((await store.due('2026-01-06T00:00:00.000Z', 10)).map((d) => d.cdr.id)).toContain('c2-C');
      expect((await store.cdrPage({ via: null, emspId: 'E' }, { offset: 0, limit: 10 })).items.map((x) => x.id)).toEqual(['c2', 'c1', 'c2-C']);
      const [listed] = await store.credits({ limit: 10 });
      expect(listed).toMatchObject({ creditId: 'c2-C', cdrId: 'c2', emspId: 'E', stationId: 'CP-1', transactionId: 't2', reason: 'conflict', message: 'a second packet', state: 'pending', attempts: 0 });
      await store.delivered('c2-C', '2026-01-06T00:00:01.000Z', null);
      expect(await store.credits({ limit: 10 })).toMatchObject([{ state: 'delivered', deliveredAt: '2026-01-06T00:00:01.000Z' }]);
      expect(await store.credits({ after: listed.seq, limit: 10 })).toEqual([]);
    });

    it('lists withheld sessions with their reason, page by page, and releases them', async () => {
      for (const c of ['1', '2', '3']) await store.withhold({ streamId: 'k', counter: c, emspId: 'E', stationId: 'CP-1', transactionId: `t${c}`, reason: c === '2' ? 'no-location' : 'conflict', message: 'm', at: 'now' });
      const first = await store.withheld({ limit: 2 });
      expect(first.map((w) => w.counter)).toEqual(['1', '2']);
      expect((await store.withheld({ limit: 2, afterKey: withheldKey(first[1]) })).map((w) => w.counter)).toEqual(['3']);
      expect((await store.withheld({ limit: 10, reasons: ['no-location'] })).map((w) => w.counter)).toEqual(['2']);
      expect(await store.withheld({ limit: 10, reasons: ['no-location'], located: true })).toEqual([]);
      await store.release('k', '2');
      expect((await store.withheld({ limit: 10 })).map((w) => w.counter)).toEqual(['1', '3']);
    });

    it('registers two hubs naming the same party at once as one created and one exists, the other written not at all', async () => {
      const hub = (n: number) => ({ emspId: `HUB-R${n}`, countryCode: 'AT', partyId: `HR${n}`, name: `Hub ${n}`, tokenADigest: `r${n}`, role: 'HUB' as const });
      const relays = (n: number) => [
        { emspId: 'AT-SHARED', countryCode: 'AT', partyId: 'SHR' },
        { emspId: `AT-OWN${n}`, countryCode: 'AT', partyId: `OW${n}` },
      ];
      const outcomes = await Promise.all([1, 2].map((n) => store.createParty({ ...hub(n), relays: relays(n) })));
      expect([...outcomes].sort()).toEqual(['created', 'exists']);
      const loser = outcomes[0] === 'created' ? 2 : 1;
      expect(await store.party(`HUB-R${loser}`)).toBeUndefined();
      expect(await store.relays(`HUB-R${loser}`)).toEqual([]);
      expect((await store.relays(`HUB-R${3 - loser}`)).map((r) => r.emspId)).toEqual(['AT-OWN' + (3 - loser), 'AT-SHARED']);
      // The loser's own party is free: registered again alone, it is created.
      expect(await store.createParty({ ...hub(loser), relays: [relays(loser)[1]] })).toBe('created');
    });

    it('connects a hub with the parties it relays, one eMSP id per party everywhere, and routes CDRs through it', async () => {
      const hub = { emspId: 'HUB-1', countryCode: 'NL', partyId: 'HUB', name: 'Hub', tokenADigest: 'h1', role: 'HUB' as const };
      // DE-EMP is DE*EMP (connected directly above): relaying DE*EMP under another id, or another party under DE-EMP, is refused.
      expect(await store.createParty({ ...hub, relays: [{ emspId: 'DE-OTHER', countryCode: 'DE', partyId: 'EMP' }] })).toBe('exists');
      expect(await store.createParty({ ...hub, relays: [{ emspId: 'DE-EMP', countryCode: 'DE', partyId: 'ZZZ' }] })).toBe('exists');
      expect(await store.createParty({ ...hub, relays: [{ emspId: 'DE-B', countryCode: 'DE', partyId: 'BBB' }, { emspId: 'DE-B', countryCode: 'DE', partyId: 'BBC' }] })).toBe('exists');
      expect(await store.relays('HUB-1')).toEqual([]);
      expect(await store.createParty({ ...hub, relays: [{ emspId: 'DE-EMP', countryCode: 'DE', partyId: 'EMP' }, { emspId: 'DE-B', countryCode: 'DE', partyId: 'BBB' }] })).toBe('created');
      expect(await store.relays('HUB-1')).toEqual([
        { hubId: 'HUB-1', emspId: 'DE-B', countryCode: 'DE', partyId: 'BBB' },
        { hubId: 'HUB-1', emspId: 'DE-EMP', countryCode: 'DE', partyId: 'EMP' },
      ]);
      expect((await store.party('HUB-1'))?.role).toBe('HUB');
      expect((await store.party('DE-EMP'))?.role).toBe('EMSP');
      // A second hub for a relayed party, or DE-B connected directly as another party: refused.
      expect(await store.createParty({ ...hub, emspId: 'HUB-2', partyId: 'HU2', tokenADigest: 'h2', relays: [{ emspId: 'DE-B', countryCode: 'DE', partyId: 'BBB' }] })).toBe('exists');
      expect(await store.createParty({ emspId: 'DE-B', countryCode: 'DE', partyId: 'XXX', name: 'b', tokenADigest: 'b1' })).toBe('exists');
      expect(await store.createParty({ emspId: 'DE-B', countryCode: 'DE', partyId: 'BBB', name: 'b', tokenADigest: 'b1' })).toBe('created');
      // One CDR per id whatever the route; a hub reads what went through it, narrowed to one eMSP on request.
      expect(await store.addCdr({ cdr: cdr('h1', '2026-01-06T00:00:00.000Z'), emspId: 'DE-B', streamId: 's', counter: '11', via: 'HUB-1' })).toBe(true);
      expect(await store.addCdr({ cdr: cdr('h1', '2026-01-06T00:00:00.000Z'), emspId: 'DE-B', streamId: 's', counter: '11' })).toBe(false);
      await store.addCdr({ cdr: cdr('h2', '2026-01-06T00:00:00.000Z'), emspId: 'DE-EMP', streamId: 's', counter: '12', via: 'HUB-1' });
      await store.addCdr({ cdr: cdr('d1', '2026-01-06T00:00:00.000Z'), emspId: 'DE-B', streamId: 's', counter: '13' });
      const ids = async (route: { via: string | null; emspId?: string }) => (await store.cdrPage(route, { offset: 0, limit: 10 })).items.map((c) => c.id);
      expect(await ids({ via: 'HUB-1' })).toEqual(['h1', 'h2']);
      expect(await ids({ via: 'HUB-1', emspId: 'DE-B' })).toEqual(['h1']);
      expect(await ids({ via: null, emspId: 'DE-B' })).toEqual(['d1']);
      expect(await store.cdr('h1')).toMatchObject({ via: 'HUB-1', emspId: 'DE-B' });
      expect(await store.cdr('d1')).toMatchObject({ via: null });
      await store.failed('h1', 1, '2026-02-01T00:00:00.000Z', 'hub down');
      await store.failed('d1', 1, '2026-02-01T00:00:00.000Z', 'down');
      expect(await store.retryNow('HUB-1', '2026-01-07T00:00:00.000Z')).toBe(1);
      expect((await store.cdr('h1'))?.nextAttemptAt).toBe('2026-01-07T00:00:00.000Z');
      expect((await store.cdr('d1'))?.nextAttemptAt).toBe('2026-02-01T00:00:00.000Z');
    });

    it('keeps pushed Token objects by party, uid (any letter case) and type', async () => {
      const t = { country_code: 'DE', party_id: 'EMP', uid: 'Ab12', type: 'RFID', contract_id: 'C1', issuer: 'i', valid: true, whitelist: 'ALWAYS', last_updated: '2026-01-01T00:00:00.000Z' } as const;
      await store.putToken('DE-EMP', t);
      expect(await store.token('de', 'emp', 'AB12', 'RFID')).toEqual(t);
      expect(await store.token('DE', 'EMP', 'AB12', 'APP_USER')).toBeUndefined();
      expect(await store.token('DE', 'XXX', 'AB12', 'RFID')).toBeUndefined();
      await store.putToken('DE-EMP', { ...t, valid: false, last_updated: '2026-01-02T00:00:00.000Z' });
      expect(await store.token('DE', 'EMP', 'ab12', 'RFID')).toMatchObject({ valid: false, last_updated: '2026-01-02T00:00:00.000Z' });
    });

    it('keeps station locations', async () => {
      const l = { locationId: 'L1', address: 'a', city: 'c', country: 'DEU', latitude: '50.00000', longitude: '6.00000', evseIdPrefix: 'DE*ABC*E1', connectorStandard: 'IEC_62196_T2', connectorFormat: 'SOCKET', powerType: 'AC_3_PHASE' } as const;
      await store.putLocation('CP-1', l);
      expect(await store.location('CP-1')).toEqual(l);
      expect(await store.location('CP-2')).toBeUndefined();
    });
  });
}
