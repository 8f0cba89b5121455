import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OcmfDatasetMessage, SimulationManifest, SimulationMessage } from '@metrology-ledger/cp800-model';
import { Ledger, StreamId } from '@metrology-ledger/ledger';
import { verifyOcmf } from '@metrology-ledger/ocmf';
import { PostgresSessionStore } from '@metrology-ledger/query';
import { ensureKafka, freePort, KafkaPipelineHarness } from './KafkaPipelineHarness';
import { reconcileWithManifest } from './reconcileWithManifest';
import { startEmspProcess, type ReceivedCdr } from './testing/emspProcess';
import { runBuiltSimulator } from './testing/runBuiltSimulator';

// Duty 7 end to end, with the simulator's faults: the built simulator CLI (`npm run --silent sim`)
// → Kafka → built ingest → the ledger in PostgreSQL → built query with OCPI on (read model and OCPI
// store in PostgreSQL) → one eMSP process per simulated eMSP, each registered through the OCPI
// credentials handshake. Asserted from the manifest (the ground truth): a counter dropped or tampered
// in transit (a gap), a conflict, or a packet forged with an unregistered key never becomes a CDR, a
// receipt or an invoice match (the invoice check refuses with the reason), the operator's lists say
// why; every clean session reaches its eMSP as exactly one CDR whose whole OCMF verifies.

// A guard against a hung service, not a speed goal: the checks below make a few hundred HTTP calls on a shared machine.
jest.setTimeout(120_000);

const STATIONS = 4;
const DAYS = 4;
const SEED = 11;
const START = '2025-05-01';
// Seed 11 gives every dataset fault: drop, tamper, wrongKey, conflict, duplicate, delay, reorder and a key replacement.
const FAULTS = 'drop=0.08,duplicate=0.06,reorder=0.05,tamper=0.08,wrongKey=0.08,conflict=0.1,keyReplace=0.3';
/** The simulator's eMSPs and the OCPI party each is connected as. */
const PARTIES: Record<string, { country: string; party: string }> = {
  'DE-EMP-ALPHA': { country: 'DE', party: 'ALP' },
  'DE-EMP-BETA': { country: 'DE', party: 'BET' },
  'DE-EMP-GAMMA': { country: 'DE', party: 'GAM' },
  'AT-EMP-DELTA': { country: 'AT', party: 'DEL' },
};
const LOCATION = { locationId: 'LOC', address: 'Hauptstrasse 1', city: 'Koeln', postalCode: '50667', country: 'DEU', latitude: '50.93770', longitude: '6.95742', evseIdPrefix: 'DE*CPO*E1', connectorStandard: 'IEC_62196_T2', connectorFormat: 'SOCKET', powerType: 'AC_3_PHASE' };

const h = new KafkaPipelineHarness();
const dir = mkdtempSync(join(tmpdir(), 'ocpi-e2e-'));
const keys = { operator: `operator-${randomBytes(16).toString('hex')}`, ...Object.fromEntries(Object.keys(PARTIES).map((e) => [e, `emsp-${randomBytes(16).toString('hex')}`])) } as Record<string, string>;
const schemas = { readModel: `${h.schema}_query`, ocpi: `${h.schema}_ocpi` };
const emsps = new Map<string, Awaited<ReturnType<typeof startEmspProcess>>>();
let url: string;
let manifest: SimulationManifest;
let datasets: OcmfDatasetMessage[];
/** A conflict whose second packet is sent only after the first one's CDR was delivered: the CDR is credited. */
let late: { first: OcmfDatasetMessage; second: OcmfDatasetMessage };

async function call(method: string, path: string, key: string, body?: unknown): Promise<{ status: number; body: any }> {
  const r = await fetch(`${url}${path}`, { method, headers: { Authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: r.status, body: r.headers.get('content-type')?.includes('json') ? await r.json() : await r.text() };
}

/** The registered key a packet verifies with, if any (a tampered or forged packet verifies with none). */
function keyOf(d: OcmfDatasetMessage): string | undefined {
  return manifest.registry.find((r) => r.stationId === d.stationId)!.keys.find((k) => verifyOcmf(d.ocmf, { publicKey: k.publicKey }).verdict === 'valid')?.publicKey;
}
const counterOf = (ocmf: string) => Number(/"PG":"T(\d+)-/.exec(ocmf)![1]);
/** The energy a packet states (end minus begin reading), as an invoice line would bill it. */
function kWhOf(ocmf: string): string {
  const rd = (JSON.parse(ocmf.split('|')[1]) as { RD: { TX: string; RV: number }[] }).RD;
  const [b, e] = [rd.find((r) => r.TX === 'B')!.RV, rd.find((r) => r.TX === 'E')!.RV];
  // Readings carry at most 4 decimals: in millionths the difference is exact.
  return String((Math.round(e * 1e6) - Math.round(b * 1e6)) / 1e6);
}
const same = (a: { stationId: string; publicKey: string; counter: number }, stationId: string, publicKey: string | undefined, counter: number) => a.stationId === stationId && a.publicKey === publicKey && a.counter === counter;

/** Every CDR every eMSP process received. */
async function allReceived(): Promise<(ReceivedCdr & { emspId: string })[]> {
  const out: (ReceivedCdr & { emspId: string })[] = [];
  for (const [emspId, e] of emsps) out.push(...(await e.received()).received.map((r) => ({ ...r, emspId })));
  return out;
}

/** Every page of an operator list. */
async function allOf<T>(path: string): Promise<T[]> {
  const out: T[] = [];
  let after: string | null = null;
  do {
    const r: { status: number; body: { items: T[]; nextCursor: string | null } } = await call('GET', `${path}?limit=500${after ? `&after=${after}` : ''}`, keys.operator);
    expect(r.status).toBe(200);
    out.push(...r.body.items);
    after = r.body.nextCursor;
  } while (after);
  return out;
}

beforeAll(async () => {
  ensureKafka();
  await runBuiltSimulator(['--stations', String(STATIONS), '--days', String(DAYS), '--seed', String(SEED), '--start', START, '--faults', FAULTS, '--out', join(dir, 'messages.jsonl'), '--manifest', join(dir, 'manifest.json')]);
  manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as SimulationManifest;
  const messages = readFileSync(join(dir, 'messages.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as SimulationMessage);
  h.manifest = manifest;
  datasets = messages.filter((m): m is OcmfDatasetMessage => m.kind === 'ocmf-dataset');
  // The second packet of the first conflict is held back until the first one's CDR has reached its eMSP.
  const c = manifest.expected.conflicts[0];
  const pair = datasets.filter((d) => d.stationId === c.stationId && counterOf(d.ocmf) === c.counter && keyOf(d) === c.publicKey);
  late = { first: pair[0], second: pair.find((d) => d.ocmf !== pair[0].ocmf)! };
  h.messages = messages.filter((m) => m.messageId !== late.second.messageId);

  // The operator registers the stations' keys; ingest reads everything the fleet sent.
  await h.prepareEmpty();
  const ledger = new Ledger(h.store);
  await ledger.registerKeys(manifest.registry);
  await h.produce();
  const ingest = h.startIngest();
  await h.waitFor(async () => (await h.accounted()) >= manifest.counts.messages - 1, ingest);

  // The query service with OCPI on, pushing every 300 ms.
  const port = await freePort();
  ({ url } = await h.startQuery([...Object.entries(keys).map(([who, key]) => `${key}=${who === 'operator' ? 'operator' : `emsp:${who}`}`)].join(';'), {
    env: {
      QUERY_PORT: String(port),
      QUERY_READ_MODEL: 'postgres',
      QUERY_PG_SCHEMA: schemas.readModel,
      QUERY_REFRESH_MS: '200',
      QUERY_RECEIPT_KEY: randomBytes(24).toString('base64url'),
      OCPI_PUBLIC_URL: `http://127.0.0.1:${port}`,
      OCPI_COUNTRY_CODE: 'DE',
      OCPI_PARTY_ID: 'CPO',
      OCPI_PG_SCHEMA: schemas.ocpi,
      OCPI_PUSH_INTERVAL_MS: '300',
      OCPI_RETRY_MIN_MS: '500',
      OCPI_RETRY_MAX_MS: '2000',
      OCPI_TOKEN_KEY: randomBytes(24).toString('base64url'),
    },
  }));
  for (const s of manifest.registry) expect((await call('PUT', `/operator/ocpi/stations/${s.stationId}/location`, keys.operator, { ...LOCATION, locationId: `LOC-${s.stationId}` })).status).toBe(200);

  // Each eMSP: the operator connects it (token A), the eMSP process registers with the credentials handshake.
  expect(new Set(datasets.map((d) => d.emspId))).toEqual(new Set(Object.keys(PARTIES)));
  for (const [emspId, party] of Object.entries(PARTIES)) {
    const created = await call('POST', '/operator/ocpi/parties', keys.operator, { emspId, countryCode: party.country, partyId: party.party, name: emspId });
    expect(created.status).toBe(201);
    const e = await startEmspProcess(party);
    emsps.set(emspId, e);
    expect(await e.admin('register', { versionsUrl: created.body.versionsUrl, tokenA: created.body.tokenA })).toMatchObject({ status: 200, body: { status_code: 1000 } });
  }

  // Every session of the read model gets its CDR delivered or is withheld (the held-back conflict is not one yet).
  const sessions = new Set(datasets.filter((d) => keyOf(d)).map((d) => `${d.stationId}/${keyOf(d)}/${counterOf(d.ocmf)}`)).size;
  await settled('every session decided', (o) => o.pending === 0 && o.delivered + o.withheld === sessions && o.withheld === manifest.expected.conflicts.length - 1);
  expect((await allReceived()).filter((r) => r.ocmf === late.first.ocmf)).toHaveLength(1);

  // The held-back packet arrives: the ledger now equals the manifest, and the delivered CDR is credited.
  h.messages = [late.second];
  await h.produce();
  await h.waitUntilAllRecorded(ingest);
  expect((await reconcileWithManifest(ledger, manifest, new Map(datasets.map((d) => [d.messageId, d.ocmf])))).differences).toEqual([]);
  await settled('the late conflict credited', (o) => o.pending === 0 && o.delivered === sessions - manifest.expected.conflicts.length + 2 && o.withheld === manifest.expected.conflicts.length);
}, 300_000);

/** Waits until the OCPI outbox and withheld list satisfy `done`. */
async function settled(what: string, done: (o: { delivered: number; pending: number; withheld: number }) => boolean): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const outbox = (await call('GET', '/operator/ocpi/outbox', keys.operator)).body.deliveries as { state: string; count: number }[];
    const o = { delivered: outbox.find((x) => x.state === 'delivered')?.count ?? 0, pending: outbox.find((x) => x.state === 'pending')?.count ?? 0, withheld: (await allOf('/operator/ocpi/withheld')).length };
    if (done(o)) return;
    if (Date.now() > deadline) throw new Error(`OCPI did not settle (${what}): ${JSON.stringify(o)}\nquery said:\n${h.outputOf(h.children[h.children.length - 1]).slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

afterAll(async () => {
  for (const e of emsps.values()) await e.dispose();
  await h.cleanup();
  for (const schema of Object.values(schemas)) {
    const pg = new PostgresSessionStore({ host: h.pg.host, port: h.pg.port, user: h.pg.user, database: h.pg.database, schema });
    await pg.dropSchema();
    await pg.close();
  }
  rmSync(dir, { recursive: true, force: true });
});

describe('simulated faults → Kafka → ingest → ledger → query with OCPI → eMSP processes: duty 7', () => {
  it('runs with every dataset fault of the simulator', () => {
    const kinds = new Set(manifest.injected.map((i) => i.kind));
    expect(['drop', 'duplicate', 'reorder', 'tamper', 'wrongKey', 'conflict', 'keyReplace'].filter((k) => !kinds.has(k as never))).toEqual([]);
  });

  it('delivers every clean session to its eMSP as exactly one CDR, with the whole OCMF dataset verifying, pushed once', async () => {
    const all = await allReceived();
    expect(all.filter((r) => r.problems.length > 0).map((r) => r.problems)).toEqual([]);
    // Apart from the CDR of the late conflict, delivered before its second packet arrived (and credited since, see below).
    const received = all.filter((r) => !r.cdr.credit && r.ocmf !== late.first.ocmf);
    const clean = new Map<string, OcmfDatasetMessage>();
    for (const d of datasets) {
      const key = keyOf(d);
      if (!key || manifest.expected.conflicts.some((c) => same(c, d.stationId, key, counterOf(d.ocmf)))) continue;
      clean.set(d.ocmf, d);
    }
    expect(clean.size).toBeGreaterThan(30);
    // Each CDR is one clean session's packet, byte for byte, at the eMSP that owns it; each clean session has one.
    expect(received.map((r) => r.ocmf).sort()).toEqual([...clean.keys()].sort());
    for (const r of received) {
      const d = clean.get(r.ocmf!)!;
      expect(r.verdict).toBe('valid');
      expect(r.emspId).toBe(d.emspId);
      expect(r.cdr.cdr_token).toMatchObject({ party_id: PARTIES[d.emspId].party });
      expect(r.cdr.total_energy).toBe(Number(kWhOf(d.ocmf)));
      expect(r.cdr.credit).toBeUndefined();
    }
    // Pushed once: as many POSTs as CDRs, and the outbox holds nothing else.
    let posts = 0;
    for (const e of emsps.values()) posts += (await e.received()).posts;
    expect(all).toHaveLength(received.length + 2);
    expect(posts).toBe(all.length);
    expect((await call('GET', '/operator/ocpi/outbox', keys.operator)).body.deliveries).toEqual([{ state: 'delivered', count: all.length }]);
    // The eMSP bills what its CDR says: the invoice check matches it.
    for (const r of received.slice(0, 10)) {
      const d = clean.get(r.ocmf!)!;
      expect((await call('POST', '/emsp/invoice-check', keys[d.emspId], { transactionId: d.transactionId, stationId: d.stationId, kWh: String(r.cdr.total_energy) })).body.verdict).toBe('match');
    }
  });

  it('gives a conflict no CDR, no receipt and no invoice match, and tells the operator why', async () => {
    expect(manifest.expected.conflicts.length).toBeGreaterThan(0);
    const withheld = await allOf<{ stationId: string; streamId: string; counter: string; emspId: string; reason: string; message: string }>('/operator/ocpi/withheld');
    const received = await allReceived();
    for (const c of manifest.expected.conflicts) {
      const packets = datasets.filter((d) => keyOf(d) === c.publicKey && d.stationId === c.stationId && counterOf(d.ocmf) === c.counter);
      expect(new Set(packets.map((p) => p.ocmf)).size).toBe(2);
      // No CDR; the late conflict's CDR, delivered before its second packet arrived, is credited.
      const cdrs = received.filter((r) => packets.some((p) => p.ocmf === r.ocmf));
      if (packets.includes(late.first)) expect(cdrs.map((r) => Boolean(r.cdr.credit))).toEqual([false, true]);
      else expect(cdrs).toEqual([]);
      const d = packets[0];
      expect(withheld).toContainEqual(expect.objectContaining({ stationId: c.stationId, streamId: StreamId.datasets(c.stationId, c.publicKey, 'T'), counter: String(c.counter), emspId: d.emspId, reason: 'conflict', message: expect.stringContaining('more than one validly signed packet') }));
      for (const p of packets) {
        expect((await call('POST', '/emsp/invoice-check', keys[d.emspId], { transactionId: d.transactionId, stationId: d.stationId, kWh: kWhOf(p.ocmf) })).body).toMatchObject({ verdict: 'refused', reason: 'conflict' });
      }
      expect(await call('POST', '/emsp/receipts', keys[d.emspId], { transactionId: d.transactionId, stationId: d.stationId })).toMatchObject({ status: 409, body: { reason: 'conflict' } });
    }
    // Nothing else is withheld: the other sessions of this run are all provable.
    expect(withheld.map((w) => w.reason)).toEqual(manifest.expected.conflicts.map(() => 'conflict'));
  });

  it('credits the CDR of a session whose conflicting packet arrived after the CDR was delivered: one credit CDR, checked by the eMSP, and the operator told why', async () => {
    const emsp = emsps.get(late.first.emspId)!;
    const got = (await emsp.received()).received;
    const original = got.find((r) => r.ocmf === late.first.ocmf && !r.cdr.credit)!;
    const credits = got.filter((r) => r.cdr.credit);
    expect(credits).toHaveLength(1);
    // The eMSP found nothing wrong: a new id, credit_reference_id naming the CDR it received, the same data, total_cost negated.
    expect(credits[0].problems).toEqual([]);
    expect(credits[0].cdr).toMatchObject({ id: `${original.cdr.id}-C`, credit: true, credit_reference_id: original.cdr.id, total_energy: original.cdr.total_energy, total_cost: { excl_vat: 0 } });
    expect(credits[0].ocmf).toBe(late.first.ocmf);
    const listed = (await call('GET', '/operator/ocpi/credits', keys.operator)).body;
    expect(listed).toEqual({
      nextCursor: null,
      items: [expect.objectContaining({ cdrId: original.cdr.id, creditId: `${original.cdr.id}-C`, emspId: late.first.emspId, stationId: late.first.stationId, counter: String(counterOf(late.first.ocmf)), transactionId: late.first.transactionId, reason: 'conflict', state: 'delivered', attempts: 1 })],
    });
    // The eMSP's pull of its CDRs holds both.
    const pulled = await emsp.admin<{ body: { data: { id: string }[] } }>('cpo', { url: `${url}/ocpi/cpo/2.2.1/cdrs?limit=100` });
    expect(pulled.body.data.map((x) => x.id)).toEqual(expect.arrayContaining([original.cdr.id, `${original.cdr.id}-C`]));
  });

  it('gives a counter dropped or tampered in transit (a gap) no CDR, no receipt and no invoice match; the operator sees it missing', async () => {
    const gaps = manifest.expected.gaps;
    expect(manifest.injected.filter((i) => i.kind === 'tamper').length).toBeGreaterThan(0);
    const ocmfs = new Set((await allReceived()).map((r) => r.ocmf));
    for (const g of gaps) {
      // The transaction of the counter: from its tampered packet, or (dropped) from the simulator's session record.
      const sent = datasets.filter((d) => d.stationId === g.stationId && counterOf(d.ocmf) === g.counter && !keyOf(d) && !datasets.some((x) => x.stationId === d.stationId && x.transactionId === d.transactionId && keyOf(x)));
      for (const p of sent) expect(ocmfs.has(p.ocmf)).toBe(false);
      for (const p of sent) {
        expect((await call('POST', '/emsp/invoice-check', keys[p.emspId], { transactionId: p.transactionId, stationId: p.stationId, kWh: kWhOf(p.ocmf) })).body).toMatchObject({ verdict: 'refused', reason: 'missing' });
        expect(await call('POST', '/emsp/receipts', keys[p.emspId], { transactionId: p.transactionId, stationId: p.stationId })).toMatchObject({ status: 404, body: { reason: 'missing' } });
      }
      // A gap shows once a later counter of the key arrived; a trailing drop cannot be seen yet.
      const later = datasets.some((d) => d.stationId === g.stationId && keyOf(d) === g.publicKey && counterOf(d.ocmf) > g.counter);
      if (!later) continue;
      const missing = (await call('GET', `/operator/ocpi/stations/${g.stationId}/missing`, keys.operator)).body as { streamId: string; gaps: { from: string; to: string }[]; reason: string }[];
      const stream = missing.find((m) => m.streamId === StreamId.datasets(g.stationId, g.publicKey, 'T'));
      expect(stream?.reason).toContain('no CDR');
      expect(stream?.gaps.some((r) => Number(r.from) <= g.counter && g.counter <= Number(r.to))).toBe(true);
    }
  });

  it('never turns a packet signed by an unregistered key into a CDR, a receipt figure or an invoice match', async () => {
    const forged = datasets.filter((d) => !keyOf(d) && manifest.expected.rejections.some((r) => r.reason === 'wrong-key' && r.stationId === d.stationId && r.counter === counterOf(d.ocmf)));
    expect(forged.length).toBe(manifest.injected.filter((i) => i.kind === 'wrongKey').length);
    const received = await allReceived();
    for (const f of forged) {
      expect(received.some((r) => r.ocmf === f.ocmf)).toBe(false);
      // Its counter's genuine packet, signed by the registered key, is the session: billing the forged energy is a mismatch.
      const genuine = datasets.find((d) => d.stationId === f.stationId && d.transactionId === f.transactionId && keyOf(d));
      expect(genuine).toBeDefined();
      expect(kWhOf(f.ocmf)).not.toBe(kWhOf(genuine!.ocmf));
      expect((await call('POST', '/emsp/invoice-check', keys[f.emspId], { transactionId: f.transactionId, stationId: f.stationId, kWh: kWhOf(f.ocmf) })).body).toMatchObject({ verdict: 'mismatch', reason: 'energy-differs' });
      const receipt = await call('POST', '/emsp/receipts', keys[f.emspId], { transactionId: f.transactionId, stationId: f.stationId });
      // The receipt of that transaction is the genuine packet's, never the forged figure.
      expect(receipt.status).toBe(201);
      const page = await (await fetch(new URL(receipt.body.url, url))).text();
      expect(page).toContain(`${kWhOf(genuine!.ocmf)} kWh`);
      expect(page).not.toContain(`${kWhOf(f.ocmf)} kWh`);
    }
    // The auditor's view of the same: every forgery rejected with its reason.
    expect(manifest.expected.rejections.filter((r) => r.reason === 'wrong-key').length).toBe(forged.length);
  });
});
