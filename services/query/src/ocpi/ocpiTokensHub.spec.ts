import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { Ledger, SqliteEventStore, tokenKey } from '@metrology-ledger/ledger';
import type { INestApplication } from '@nestjs/common';
import { CredentialStore } from '../auth/Credential';
import { createQueryApp } from '../createQueryApp';
import { SessionProjector } from '../readmodel/SessionProjector';
import { SessionReadModel } from '../readmodel/SessionReadModel';
import { SignedTestStation } from '../testing/SignedTestStation';
import { as, TEST_KEYS } from '../testing/testApp';
import { authorizationOf } from './domain/credentialsToken';
import { composeOcpi } from './openOcpi';
import { SessionChangeFeed } from './push/SessionChangeFeed';
import type { OcpiSettings } from './OcpiSettings';
import { SqliteRunner } from './store/SqliteRunner';
import { SqlOcpiStore } from './store/SqlOcpiStore';
import { TestEmsp } from './testing/TestEmsp';

// OCPI Tokens (CPO as Receiver) and a roaming hub (duty 10), against an eMSP and a hub that are
// separate processes (testing/emspServer.mjs): eMSP DE*AAA connected directly, and a hub DE*HUB
// relaying DE*AAA and DE*BBB.
// Two child processes and the Nest app start here: jest's 5 s per hook is short on a loaded machine (not a speed check).
jest.setTimeout(60_000);

const LOCATION = { locationId: 'LOC-1', address: 'Hauptstrasse 1', city: 'Koeln', country: 'DEU', latitude: '50.93770', longitude: '6.95742', evseIdPrefix: 'DE*CPO*E1', connectorStandard: 'IEC_62196_T2', connectorFormat: 'SOCKET', powerType: 'AC_3_PHASE' };
const settings: OcpiSettings = { publicUrl: 'http://unset', countryCode: 'DE', partyId: 'CPO', businessName: 'Test CPO', currency: 'EUR' };
const station = new SignedTestStation('CP-T');

let app: INestApplication;
let ledger: Ledger;
let sessions: SessionReadModel;
let projector: SessionProjector;
let store: SqlOcpiStore;
let worker: ReturnType<typeof composeOcpi>['worker'];
let cpoUrl: string;
const aaa = new TestEmsp({ country: 'DE', party: 'AAA' });
const hub = new TestEmsp({ country: 'DE', party: 'HUB', role: 'HUB', relays: ['DE*AAA', 'DE*BBB'] });

const operator = () => request(app.getHttpServer());
const tokenUrl = (cc: string, pid: string, uid: string, query = '') => `${cpoUrl}/ocpi/cpo/2.2.1/tokens/${cc}/${pid}/${uid}${query}`;
/** A call to the CPO by the eMSP or hub process, with its token C. */
const call = (who: TestEmsp, method: string, url: string, body?: unknown, headers?: Record<string, string>) => who.admin<{ status: number; body: any; headers: Record<string, string> }>('cpo', { method, url, body, headers });
const token = (cc: string, pid: string, uid: string, extra: Record<string, unknown> = {}) => ({
  country_code: cc,
  party_id: pid,
  uid,
  type: 'RFID',
  contract_id: `${cc}-${pid}-C${uid.slice(-8).padStart(8, '0')}`,
  issuer: 'Test issuer',
  valid: true,
  whitelist: 'ALWAYS',
  last_updated: '2026-01-10T10:00:00Z',
  ...extra,
});
/** A session of the station whose signed identification is `uid` (RFID) and whose message names no eMSP: its owner comes from the token. */
const sessionOf = async (counter: string, uid: string) => {
  const d = { ...station.dataset(counter, { variant: uid }) };
  delete d.emspId;
  await ledger.recordDataset(d);
  return d;
};
const pass = async () => {
  await projector.catchUp();
  return worker.runOnce();
};
const received = async (who: TestEmsp) => (await who.admin<{ received: { cdr: any; problems: string[]; verdict: string; to: string[] }[] }>('state')).received;

beforeAll(async () => {
  ledger = new Ledger(new SqliteEventStore(':memory:'));
  sessions = new SessionReadModel(':memory:');
  // The projector writes through the change feed, as main.ts wires it: the producer hears of tokens registered later.
  const changes = new SessionChangeFeed();
  projector = new SessionProjector(ledger, changes.watch(sessions));
  store = new SqlOcpiStore(new SqliteRunner(':memory:'));
  const composed = composeOcpi({ ledger, store, sessions, settings, push: { intervalMs: 1000, retryMinMs: 60_000, retryMaxMs: 3_600_000 }, log: { warn: () => undefined }, changes });
  worker = composed.worker;
  app = await createQueryApp({ ledger, sessions, credentials: CredentialStore.fromEnvironment(`${TEST_KEYS.operator}=operator`), options: { modules: [composed.module] } });
  await app.listen(0, '127.0.0.1');
  cpoUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  settings.publicUrl = cpoUrl;
  await Promise.all([aaa.start(), hub.start()]);
  await operator().put('/operator/ocpi/stations/CP-T/location').set(as(TEST_KEYS.operator)).send(LOCATION).expect(200);
});
afterAll(async () => {
  await Promise.all([aaa.dispose(), hub.dispose()]);
  await app?.close();
  await store?.close();
});

describe('connecting an eMSP and a hub relaying it and another', () => {
  it('binds each relayed party to one eMSP id: a hub relaying a party under another id is refused (409)', async () => {
    const direct = await operator().post('/operator/ocpi/parties').set(as(TEST_KEYS.operator)).send({ emspId: 'DE-AAA', countryCode: 'DE', partyId: 'AAA', name: 'Aaa' });
    expect(direct.status).toBe(201);
    expect((await aaa.admin('register', { versionsUrl: direct.body.versionsUrl, tokenA: direct.body.tokenA })).body.status_code).toBe(1000);
    const clash = await operator().post('/operator/ocpi/hubs').set(as(TEST_KEYS.operator)).send({ hubId: 'HUB-1', countryCode: 'DE', partyId: 'HUB', name: 'Hub', relays: [{ emspId: 'DE-OTHER', countryCode: 'DE', partyId: 'AAA' }] });
    expect(clash.status).toBe(409);
    const malformed = await operator().post('/operator/ocpi/hubs').set(as(TEST_KEYS.operator)).send({ hubId: 'HUB-1', countryCode: 'DE', partyId: 'HUB', name: 'Hub', relays: [] });
    expect(malformed.status).toBe(400);
  });

  it('registers a hub whose credentials name the HUB role (an EMSP role is refused with 2001), and lists what it relays', async () => {
    const r = await operator().post('/operator/ocpi/hubs').set(as(TEST_KEYS.operator)).send({ hubId: 'HUB-1', countryCode: 'DE', partyId: 'HUB', name: 'Hub', relays: [{ emspId: 'DE-AAA', countryCode: 'DE', partyId: 'AAA' }, { emspId: 'DE-BBB', countryCode: 'DE', partyId: 'BBB' }] });
    expect(r.status).toBe(201);
    const asEmsp = await fetch(`${cpoUrl}/ocpi/cpo/2.2.1/credentials`, {
      method: 'POST',
      headers: { Authorization: authorizationOf(r.body.tokenA), 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: 'b'.repeat(20), url: `${hub.url}/ocpi/emsp/versions`, roles: [{ role: 'EMSP', party_id: 'HUB', country_code: 'DE', business_details: { name: 'n' } }] }),
    });
    expect(asEmsp.status).toBe(400);
    expect(await asEmsp.json()).toMatchObject({ status_code: 2001, status_message: expect.stringContaining('no HUB role for DE*HUB') });
    expect((await hub.admin('register', { versionsUrl: r.body.versionsUrl, tokenA: r.body.tokenA })).body.status_code).toBe(1000);
    const listed = await operator().get('/operator/ocpi/parties').set(as(TEST_KEYS.operator));
    expect(listed.body.find((p: any) => p.emspId === 'HUB-1')).toMatchObject({ role: 'HUB', state: 'registered', relays: [{ emspId: 'DE-AAA', partyId: 'AAA' }, { emspId: 'DE-BBB', partyId: 'BBB' }] });
  });

  it('advertises the tokens module as RECEIVER in the version details', async () => {
    const details = await call(aaa, 'GET', `${cpoUrl}/ocpi/cpo/2.2.1`);
    expect(details.body.data.endpoints).toContainEqual({ identifier: 'tokens', role: 'RECEIVER', url: `${cpoUrl}/ocpi/cpo/2.2.1/tokens` });
  });
});

describe('tokens pushed by the eMSP itself', () => {
  it('records a pushed token in the ledger registry with its contract id; the session becomes the eMSP’s and its CDR carries the contract id', async () => {
    const put = await call(aaa, 'PUT', tokenUrl('DE', 'AAA', 'AA000001'), token('DE', 'AAA', 'AA000001', { contract_id: 'DE-AAA-C00000001-X' }));
    expect(put.status).toBe(200);
    expect(put.body.status_code).toBe(1000);
    const got = await call(aaa, 'GET', tokenUrl('DE', 'AAA', 'aa000001', '?type=RFID'));
    expect(got.body).toMatchObject({ status_code: 1000, data: { uid: 'AA000001', contract_id: 'DE-AAA-C00000001-X', valid: true, issuer: 'Test issuer' } });
    const d = await sessionOf('1', 'AA000001');
    expect(await pass()).toMatchObject({ added: 1, delivered: 1 });
    expect(await sessions.registeredToken(tokenKey('AA000001'))).toMatchObject({ emspId: 'DE-AAA', contractId: 'DE-AAA-C00000001-X', changedBy: 'emsp:DE-AAA' });
    const [s] = await sessions.byTransaction(d.transactionId!);
    expect(s).toMatchObject({ emspId: 'DE-AAA', emspSource: 'registry' });
    const cdrs = await received(aaa);
    expect(cdrs).toHaveLength(1);
    expect(cdrs[0].problems).toEqual([]);
    expect(cdrs[0].cdr.cdr_token).toEqual({ country_code: 'DE', party_id: 'AAA', uid: 'AA000001', type: 'RFID', contract_id: 'DE-AAA-C00000001-X' });
    // Registered directly, and relayed by the hub too: the direct connection wins, the hub gets nothing.
    expect(await received(hub)).toEqual([]);
  });

  it('withdraws with valid:false (PATCH): the session leaves the eMSP; a PATCH without last_updated, or of an unknown token, is refused', async () => {
    const noTime = await call(aaa, 'PATCH', tokenUrl('DE', 'AAA', 'AA000001'), { valid: false });
    expect(noTime.status).toBe(400);
    expect(noTime.body).toMatchObject({ status_code: 2001, status_message: expect.stringContaining('last_updated') });
    const unknown = await call(aaa, 'PATCH', tokenUrl('DE', 'AAA', 'AA999999'), { valid: false, last_updated: '2026-01-11T10:00:00Z' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.status_code).toBe(2004);
    const patch = await call(aaa, 'PATCH', tokenUrl('DE', 'AAA', 'AA000001'), { valid: false, last_updated: '2026-01-11T10:00:00Z' });
    expect(patch.body.status_code).toBe(1000);
    await projector.catchUp();
    expect(await sessions.registeredToken(tokenKey('AA000001'))).toBeUndefined();
    const [s] = await sessions.byTransaction(station.dataset('1', { variant: 'AA000001' }).transactionId!);
    expect(s.emspId).toBeNull();
    expect((await call(aaa, 'GET', tokenUrl('DE', 'AAA', 'AA000001'))).body.data).toMatchObject({ valid: false, last_updated: '2026-01-11T10:00:00.000Z', contract_id: 'DE-AAA-C00000001-X' });
    // Pushed valid again, it is registered again.
    expect((await call(aaa, 'PUT', tokenUrl('DE', 'AAA', 'AA000001'), token('DE', 'AAA', 'AA000001', { contract_id: 'DE-AAA-C00000001-X' }))).body.status_code).toBe(1000);
    await projector.catchUp();
    expect((await sessions.byTransaction(s.transactionId!))[0].emspId).toBe('DE-AAA');
  });

  it('withdraws a uid under its registered type only: valid:false for another type leaves the registration as it is', async () => {
    expect((await call(aaa, 'PUT', tokenUrl('DE', 'AAA', 'AA000002'), token('DE', 'AAA', 'AA000002'))).body.status_code).toBe(1000);
    // The same uid pushed as APP_USER re-registers it with that type (the registry holds one token per uid).
    expect((await call(aaa, 'PUT', tokenUrl('DE', 'AAA', 'AA000002', '?type=APP_USER'), token('DE', 'AAA', 'AA000002', { type: 'APP_USER' }))).body.status_code).toBe(1000);
    // The RFID object withdrawn: nothing in the registry is, the uid stays the eMSP's as APP_USER.
    const rfidOff = await call(aaa, 'PUT', tokenUrl('DE', 'AAA', 'AA000002'), token('DE', 'AAA', 'AA000002', { valid: false, last_updated: '2026-01-11T10:00:00Z' }));
    expect(rfidOff.body.status_code).toBe(1000);
    await projector.catchUp();
    expect(await sessions.registeredToken(tokenKey('AA000002'))).toMatchObject({ emspId: 'DE-AAA', tokenType: 'APP_USER', status: 'registered' });
    // Withdrawn under its registered type, it is withdrawn.
    const appOff = await call(aaa, 'PUT', tokenUrl('DE', 'AAA', 'AA000002', '?type=APP_USER'), token('DE', 'AAA', 'AA000002', { type: 'APP_USER', valid: false, last_updated: '2026-01-11T11:00:00Z' }));
    expect(appOff.body.status_code).toBe(1000);
    await projector.catchUp();
    expect(await sessions.registeredToken(tokenKey('AA000002'))).toBeUndefined();
  });

  it('refuses a token for another party (404), a malformed Token (400, 2001, each problem named), and no or an unknown credentials token (401, 2000)', async () => {
    const other = await call(aaa, 'PUT', tokenUrl('DE', 'BBB', 'BB000009'), token('DE', 'BBB', 'BB000009'));
    expect(other.status).toBe(404);
    expect(other.body).toMatchObject({ status_code: 2000, status_message: expect.stringContaining('DE*BBB is not the party of this token') });
    const bodyElsewhere = await call(aaa, 'PUT', tokenUrl('DE', 'AAA', 'AA000009'), token('DE', 'BBB', 'AA000009'));
    expect(bodyElsewhere.status).toBe(400);
    expect(bodyElsewhere.body).toMatchObject({ status_code: 2001, status_message: expect.stringContaining('party_id "BBB" is not the "AAA" of the URL') });
    const malformed = await call(aaa, 'PUT', tokenUrl('DE', 'AAA', 'AA000009'), { country_code: 'DE', party_id: 'AAA', uid: 'OTHER', type: 'CARD', valid: 'yes', whitelist: 'SOMETIMES', last_updated: 'yesterday' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.status_code).toBe(2001);
    for (const field of ['uid', 'type', 'contract_id', 'issuer', 'valid', 'whitelist', 'last_updated']) expect(malformed.body.status_message).toContain(field);
    const typeMismatch = await call(aaa, 'PUT', tokenUrl('DE', 'AAA', 'AA000009', '?type=APP_USER'), token('DE', 'AAA', 'AA000009'));
    expect(typeMismatch.body).toMatchObject({ status_code: 2001, status_message: expect.stringContaining('type "RFID" is not the type "APP_USER" of the URL') });
    for (const query of ['?type=rfid', '?type=RFID&offset=1']) {
      const r = await call(aaa, 'PUT', tokenUrl('DE', 'AAA', 'AA000009', query), token('DE', 'AAA', 'AA000009'));
      expect(r.status).toBe(400);
      expect(r.body.status_code).toBe(2001);
    }
    for (const auth of [undefined, authorizationOf('not-a-token-of-ours')]) {
      const r = await fetch(tokenUrl('DE', 'AAA', 'AA000009'), { method: 'PUT', headers: { 'Content-Type': 'application/json', ...(auth ? { Authorization: auth } : {}) }, body: JSON.stringify(token('DE', 'AAA', 'AA000009')) });
      expect(r.status).toBe(401);
      expect(await r.json()).toMatchObject({ status_code: 2000 });
    }
    await projector.catchUp();
    expect(await sessions.registeredToken(tokenKey('AA000009'))).toBeUndefined();
    expect(await sessions.registeredToken(tokenKey('BB000009'))).toBeUndefined();
  });
});

describe('a hub relaying two eMSPs (duty 10)', () => {
  const fromBbb = { 'OCPI-from-country-code': 'DE', 'OCPI-from-party-id': 'BBB', 'OCPI-to-country-code': 'DE', 'OCPI-to-party-id': 'CPO' };

  it('records the tokens the hub pushes for a party it relays for that party; the CDR goes to the hub, addressed to and naming the owner', async () => {
    const put = await call(hub, 'PUT', tokenUrl('DE', 'BBB', 'BB000001'), token('DE', 'BBB', 'BB000001', { contract_id: 'DE-BBB-C00000001-7' }), fromBbb);
    expect(put.body.status_code).toBe(1000);
    const d = await sessionOf('2', 'BB000001');
    expect(await pass()).toMatchObject({ added: 1, delivered: 1 });
    expect(await sessions.registeredToken(tokenKey('BB000001'))).toMatchObject({ emspId: 'DE-BBB', contractId: 'DE-BBB-C00000001-7' });
    const got = await received(hub);
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ problems: [], verdict: 'valid', to: ['DE', 'BBB'] });
    expect(await store.cdr(got[0].cdr.id)).toMatchObject({ emspId: 'DE-BBB', via: 'HUB-1', state: 'delivered' });
    expect((await sessions.byTransaction(d.transactionId!))[0]).toMatchObject({ emspId: 'DE-BBB', emspSource: 'registry' });
    expect(got[0].cdr.cdr_token).toEqual({ country_code: 'DE', party_id: 'BBB', uid: 'BB000001', type: 'RFID', contract_id: 'DE-BBB-C00000001-7' });
    expect((await received(aaa)).map((r) => r.cdr.cdr_token.uid)).toEqual(['AA000001']);
  });

  it('refuses the hub a token for a party it does not relay (404), and one another eMSP holds (409)', async () => {
    const notRelayed = await call(hub, 'PUT', tokenUrl('DE', 'ZZZ', 'ZZ000001'), token('DE', 'ZZZ', 'ZZ000001'));
    expect(notRelayed.status).toBe(404);
    expect(notRelayed.body).toMatchObject({ status_code: 2000, status_message: expect.stringContaining('not a party this hub relays') });
    const held = await call(hub, 'PUT', tokenUrl('DE', 'BBB', 'AA000001'), token('DE', 'BBB', 'AA000001'), fromBbb);
    expect(held.status).toBe(409);
    expect(held.body.status_code).toBe(2000);
    // Routing headers naming a party the hub does not relay: 400, 2001.
    const spoofed = await call(hub, 'GET', `${cpoUrl}/ocpi/cpo/2.2.1/cdrs`, undefined, { 'OCPI-from-country-code': 'NL', 'OCPI-from-party-id': 'ZZZ' });
    expect(spoofed.status).toBe(400);
    expect(spoofed.body.status_code).toBe(2001);
    await projector.catchUp();
    expect((await sessions.registeredToken(tokenKey('AA000001')))?.emspId).toBe('DE-AAA');
  });

  it('lets each read only the CDRs routed to it: the hub those of the parties it relays (narrowed by OCPI-from-*), the eMSP its direct ones', async () => {
    const ids = async (who: TestEmsp, headers?: Record<string, string>) => ((await call(who, 'GET', `${cpoUrl}/ocpi/cpo/2.2.1/cdrs`, undefined, headers)).body.data as any[]).map((c) => `${c.cdr_token.party_id}:${c.cdr_token.uid}`);
    expect(await ids(hub)).toEqual(['BBB:BB000001']);
    expect(await ids(hub, fromBbb)).toEqual(['BBB:BB000001']);
    expect(await ids(hub, { 'OCPI-from-country-code': 'DE', 'OCPI-from-party-id': 'AAA' })).toEqual([]);
    expect(await ids(aaa)).toEqual(['AAA:AA000001']);
  });

  it('gives an eMSP reachable both ways each CDR once, directly; once its direct connection is unregistered, through the hub', async () => {
    await sessionOf('3', 'AA000001');
    expect(await pass()).toMatchObject({ added: 1, delivered: 1 });
    expect((await received(aaa)).map((r) => r.cdr.cdr_token.uid)).toEqual(['AA000001', 'AA000001']);
    expect(await received(hub)).toHaveLength(1);
    expect(await pass()).toMatchObject({ added: 0, delivered: 0 });
    expect((await aaa.admin('unregister')).body.status_code).toBe(1000);
    await sessionOf('4', 'AA000001');
    expect(await pass()).toMatchObject({ added: 1, delivered: 1 });
    const viaHub = await received(hub);
    expect(viaHub).toHaveLength(2);
    expect(viaHub[1]).toMatchObject({ problems: [], to: ['DE', 'AAA'], cdr: { cdr_token: { party_id: 'AAA', contract_id: 'DE-AAA-C00000001-X' } } });
    // The CDRs made before stay on their route: none of them reaches the hub a second time.
    const all = [...(await received(aaa)), ...viaHub].map((r) => r.cdr.id);
    expect(new Set(all).size).toBe(all.length);
    expect(all).toHaveLength(4);
  });
});

describe('a token pushed after a later session of its eMSP already has its CDR', () => {
  it('gives the earlier session, now the eMSP’s, its CDR on the next pass', async () => {
    await sessionOf('20', 'BB000020');
    expect((await call(hub, 'PUT', tokenUrl('DE', 'BBB', 'BB000021'), token('DE', 'BBB', 'BB000021'))).status).toBe(200);
    await sessionOf('21', 'BB000021');
    const before = (await received(hub)).length;
    expect(await pass()).toMatchObject({ added: 1, delivered: 1 });
    expect((await call(hub, 'PUT', tokenUrl('DE', 'BBB', 'BB000020'), token('DE', 'BBB', 'BB000020'))).status).toBe(200);
    expect(await pass()).toMatchObject({ added: 1, delivered: 1 });
    expect((await received(hub)).slice(before).map((r) => r.cdr.cdr_token.uid)).toEqual(['BB000021', 'BB000020']);
    expect(await pass()).toMatchObject({ added: 0, delivered: 0 });
  });
});
