import request from 'supertest';
import type { INestApplication } from '@nestjs/common';
import { DEFAULT_FAULTS, FleetSimulator, serializeMessage, type OcmfDatasetMessage, type SimulationManifest } from '@metrology-ledger/cp800-model';
import { IngestPipeline } from '@metrology-ledger/ingest';
import { Ledger, SqliteEventStore } from '@metrology-ledger/ledger';
import { verifyOcmf, readContainer } from '@metrology-ledger/ocmf';
import { CredentialStore } from '../auth/Credential';
import { createQueryApp } from '../createQueryApp';
import { rebuildReadModels } from '../readmodel/rebuildReadModels';
import { SessionReadModel } from '../readmodel/SessionReadModel';

const KEYS = {
  alpha: 'alpha-key-0123456789abcdef',
  beta: 'beta-key-0123456789abcdef0',
  auditor: 'auditor-key-0123456789abcd',
  operator: 'operator-key-0123456789ab',
  gamma: 'gamma-key-0123456789abcdef',
  delta: 'delta-key-0123456789abcdef',
};
const KEY_OF_EMSP: Record<string, string> = { 'DE-EMP-ALPHA': KEYS.alpha, 'DE-EMP-BETA': KEYS.beta, 'DE-EMP-GAMMA': KEYS.gamma, 'AT-EMP-DELTA': KEYS.delta };

let app: INestApplication;
let http: ReturnType<typeof request>;
let datasets: OcmfDatasetMessage[];
let manifest: SimulationManifest;

beforeAll(async () => {
  const sim = new FleetSimulator({ stations: 6, days: 3, seed: 77, start: Date.UTC(2025, 5, 1), faults: { ...DEFAULT_FAULTS, conflict: 0.05, drop: 0.05 } });
  const messages = [...sim.days()].flat();
  manifest = sim.manifest;
  datasets = messages.filter((m): m is OcmfDatasetMessage => m.kind === 'ocmf-dataset');
  const store = new SqliteEventStore(':memory:');
  const ledger = new Ledger(store);
  await ledger.registerKeys(manifest.registry);
  const pipeline = new IngestPipeline(ledger);
  for (const m of messages) await pipeline.process(serializeMessage(m), 'test', m.stationId);
  const critical = { kind: 'station-fault', messageId: 'crit-1', stationId: 'CP-000003', faultId: 'urn:fault:koala:eichrecht-meter-mismatch', severity: 'Critical', hostMessage: "Échec de la vérification d'identité de la borne.", state: 'raised', at: '2025-06-04T10:00:00Z', sentAt: '2025-06-04T10:00:01Z' };
  await pipeline.process(JSON.stringify(critical), 'test', 'CP-000003');
  // One message ingest must reject (not a dataset it can read), whatever the simulation's faults gave.
  await pipeline.process(JSON.stringify({ kind: 'ocmf-dataset', messageId: 'bad-1', stationId: 'CP-000004', ocmf: 'OCMF|{}|{}' }), 'test', 'CP-000004');
  const sessions = new SessionReadModel(':memory:');
  await rebuildReadModels(ledger, sessions);
  const credentials = CredentialStore.fromEnvironment(
    `${KEYS.alpha}=emsp:DE-EMP-ALPHA;${KEYS.beta}=emsp:DE-EMP-BETA;${KEYS.gamma}=emsp:DE-EMP-GAMMA;${KEYS.delta}=emsp:AT-EMP-DELTA;${KEYS.auditor}=auditor;${KEYS.operator}=operator`,
  );
  app = await createQueryApp({ ledger, sessions, credentials });
  await app.init();
  // Fastify takes requests once its plugins are loaded.
  await (app.getHttpAdapter().getInstance() as { ready(): Promise<unknown> }).ready();
  http = request(app.getHttpServer());
});

afterAll(async () => {
  await app.close();
});

const as = (key: string) => ({ Authorization: `Bearer ${key}` });
const validOf = (emsp: string) =>
  datasets.filter((d) => d.emspId === emsp && manifest.registry.some((r) => r.stationId === d.stationId && r.keys.some((k) => verifyOcmf(d.ocmf, { publicKey: k.publicKey }).verdict === 'valid')));

describe('authentication and roles', () => {
  it.each(['/emsp/sessions', '/auditor/stations/CP-000001/gaps', '/docs-json'])('answers 401 with a clear body without a key: %s', async (path) => {
    const r = await http.get(path);
    expect(r.status).toBe(401);
    expect(r.body.message).toMatch(/API key is required/);
    expect((await http.get(path).set(as('wrong-key-0123456789abcdef'))).status).toBe(401);
  });

  it('answers 403 to a role that may not call the endpoint, saying who may', async () => {
    const r = await http.get('/auditor/stations/CP-000001/gaps').set(as(KEYS.alpha));
    expect(r.status).toBe(403);
    expect(r.body.message).toMatch(/allowed: auditor/);
    expect((await http.get('/emsp/sessions').set(as(KEYS.auditor))).status).toBe(403);
  });

  it('does not let auditors write', async () => {
    const key = manifest.registry[0].keys[0].publicKey;
    const body = { publicKey: key, validFrom: '2025-01-01T00:00:00Z' };
    expect((await http.post('/operator/stations/CP-000001/keys').set(as(KEYS.auditor)).send(body)).status).toBe(403);
    expect((await http.post('/operator/stations/CP-000001/keys').set(as(KEYS.alpha)).send(body)).status).toBe(403);
    const ok = await http.post('/operator/stations/CP-NEW/keys').set(as(KEYS.operator)).send(body);
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ registered: true, curve: 'secp384r1' });
  });

  it('serves the OpenAPI document to an authenticated caller', async () => {
    const r = await http.get('/docs-json').set(as(KEYS.auditor));
    expect(r.status).toBe(200);
    expect(Object.keys(r.body.paths)).toEqual(expect.arrayContaining(['/emsp/sessions', '/emsp/sessions/{transactionId}/billing']));
  });
});

describe('eMSP isolation', () => {
  it('lists only the caller eMSP sessions, page by page with a cursor', async () => {
    const expected = new Set(validOf('DE-EMP-ALPHA').map((d) => d.transactionId));
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const r = await http.get('/emsp/sessions').query({ limit: 7, ...(cursor ? { cursor } : {}) }).set(as(KEYS.alpha));
      expect(r.status).toBe(200);
      expect(r.body.items.length).toBeLessThanOrEqual(7);
      for (const s of r.body.items) {
        expect(s.emspId).toBe('DE-EMP-ALPHA');
        seen.push(s.transactionId);
      }
      cursor = r.body.nextCursor ?? undefined;
    } while (cursor);
    expect(new Set(seen)).toEqual(expected);
    expect(seen.length).toBe(new Set(seen).size);
  });

  it('cannot read another eMSP session by any endpoint: it is reported as not found', async () => {
    const other = validOf('DE-EMP-BETA')[0];
    for (const path of ['', '/signed-data', '/signed-data?format=safe-xml', '/signed-data?format=ocpi', '/billing']) {
      const r = await http.get(`/emsp/sessions/${other.transactionId}${path}`).set(as(KEYS.alpha));
      expect(r.status).toBe(404);
    }
    expect((await http.get(`/emsp/sessions/${other.transactionId}`).set(as(KEYS.beta))).status).toBe(200);
    const page = await http.get('/emsp/sessions').query({ stationId: other.stationId, limit: 500 }).set(as(KEYS.alpha));
    expect(page.body.items.every((s: { emspId: string }) => s.emspId === 'DE-EMP-ALPHA')).toBe(true);
  });

  it('takes the eMSP id from the credential, never from a parameter', async () => {
    const r = await http.get('/emsp/sessions').query({ emspId: 'DE-EMP-BETA' }).set(as(KEYS.alpha));
    expect(r.status).toBe(400); // unknown parameter refused, not obeyed
  });

  it('bounds page sizes and validates parameters', async () => {
    expect((await http.get('/emsp/sessions').query({ limit: 501 }).set(as(KEYS.alpha))).status).toBe(400);
    for (const limit of ['0x10', '1e2', '+5', ' 5', '5.0', '0']) {
      const r = await http.get(`/emsp/sessions?limit=${encodeURIComponent(limit)}`).set(as(KEYS.alpha));
      expect({ limit, status: r.status, message: String(r.body.message) }).toEqual({ limit, status: 400, message: expect.stringContaining('limit') });
    }
    expect((await http.get('/emsp/sessions?limit=5').set(as(KEYS.alpha))).status).toBe(200);
    expect((await http.get('/emsp/sessions').query({ from: 'yesterday' }).set(as(KEYS.alpha))).status).toBe(400);
    expect((await http.get('/emsp/sessions').query({ cursor: 'forged' }).set(as(KEYS.alpha))).status).toBe(400);
  });
});

describe('signed packets and billing', () => {
  it('returns the packet as raw OCMF, SAFE XML and OCPI SignedData, each verifying', async () => {
    const d = validOf('DE-EMP-ALPHA')[0];
    const raw = await http.get(`/emsp/sessions/${d.transactionId}/signed-data`).set(as(KEYS.alpha));
    expect(raw.text).toBe(d.ocmf);
    for (const format of ['safe-xml', 'ocpi']) {
      const r = await http.get(`/emsp/sessions/${d.transactionId}/signed-data`).query({ format }).set(as(KEYS.alpha)).buffer(true);
      const read = readContainer(format === 'ocpi' ? JSON.stringify(r.body) : r.text);
      expect(read.ok).toBe(true);
      if (read.ok) expect(verifyOcmf(read.datasets[0].ocmf, { publicKey: read.datasets[0].publicKey }).verdict).toBe('valid');
    }
  });

  it('gives the receipt figures for a verified session and no figure for a missing one', async () => {
    const d = validOf('DE-EMP-ALPHA').find((x) => !manifest.expected.conflicts.some((c) => c.stationId === x.stationId && d0(x) === c.counter))!;
    const r = await http.get(`/emsp/sessions/${d.transactionId}/billing`).set(as(KEYS.alpha));
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ transactionId: d.transactionId, stationId: d.stationId, verdict: 'valid', unit: 'kWh', compensated: true });
    expect(r.body.energy).toMatch(/^\d+(\.\d+)?$/);
    expect(r.body.howToVerify).toMatch(/transparency software/);
    const missing = await http.get('/emsp/sessions/0000000000000000000/billing').set(as(KEYS.alpha));
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ reason: 'missing' });
    expect(missing.body.energy).toBeUndefined();
  });

  it('gives no figure for a session in conflict', async () => {
    const c = manifest.expected.conflicts[0];
    if (!c) throw new Error('the simulation injected no conflict; raise the rate');
    const d = datasets.find((x) => x.stationId === c.stationId && d0(x) === c.counter)!;
    const r = await http.get(`/emsp/sessions/${d.transactionId}/billing`).set(as(KEY_OF_EMSP[d.emspId]));
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ reason: 'conflict' });
  });
});

describe('auditor', () => {
  it('streams a station ledger as NDJSON with hashes, and reports gaps and the chain', async () => {
    const station = manifest.registry[0].stationId;
    const r = await http.get(`/auditor/stations/${station}/ledger`).set(as(KEYS.auditor)).buffer(true);
    expect(r.status).toBe(200);
    const lines = r.text.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.some((l) => l.type === 'DatasetRecorded')).toBe(true);
    expect(lines.every((l) => /^[0-9a-f]{64}$/.test(l.hash))).toBe(true);
    expect((await http.get(`/auditor/stations/${station}/chain`).set(as(KEYS.auditor))).body).toMatchObject({ ok: true });
    expect((await http.get(`/auditor/stations/${station}/gaps`).set(as(KEYS.auditor))).status).toBe(200);
  });
});

function d0(d: OcmfDatasetMessage): number {
  return Number(/"PG":"T(\d+)-/.exec(d.ocmf)![1]);
}

describe('auditor records and operator compliance', () => {
  it('lists the metrology log, rejections, conflicts and key history of a station', async () => {
    const withConflict = manifest.expected.conflicts[0]?.stationId ?? manifest.registry[0].stationId;
    const log = await http.get(`/auditor/stations/${withConflict}/metrology-log`).set(as(KEYS.auditor));
    expect(log.status).toBe(200);
    expect(log.body.items.map((e: { seq: number }) => e.seq)).toEqual(expect.arrayContaining([1]));
    expect(log.body.items.every((e: { verdict: string }) => e.verdict === 'valid')).toBe(true);
    const conflicts = await http.get(`/auditor/stations/${withConflict}/conflicts`).set(as(KEYS.auditor));
    expect(conflicts.body.items.length).toBe(manifest.expected.conflicts.filter((c) => c.stationId === withConflict).length);
    expect(conflicts.body.nextCursor).toBeNull();
    const keys = await http.get(`/auditor/stations/${withConflict}/keys`).set(as(KEYS.auditor));
    expect(keys.body.items.length).toBe(manifest.registry.find((r) => r.stationId === withConflict)!.keys.length);
    const rejectedStation = manifest.expected.rejections[0]?.stationId ?? 'CP-000004';
    const rej = await http.get(`/auditor/stations/${rejectedStation}/rejections`).set(as(KEYS.auditor));
    expect(rej.body.items[0]).toMatchObject({ code: expect.any(String), raw: expect.any(String), reason: expect.any(String) });
  });

  it('records commissioning, lists deadlines, and shows a station with a critical fault as out of service', async () => {
    const put = await http.put('/operator/stations/CP-000002/commissioning').set(as(KEYS.operator)).send({ commissionedAt: '2020-01-01T00:00:00Z', bnetzaNotifiedAt: '2020-01-05T00:00:00Z' });
    expect(put.status).toBe(200);
    expect((await http.put('/operator/stations/CP-000002/commissioning').set(as(KEYS.auditor)).send({ commissionedAt: '2020-01-01T00:00:00Z' })).status).toBe(403);
    const overdue = await http.get('/compliance/deadlines').query({ state: 'overdue' }).set(as(KEYS.auditor));
    expect(overdue.body).toEqual({ deadlines: [expect.objectContaining({ stationId: 'CP-000002', duty: 'notify-calibration-authority', state: 'overdue' })], unreadable: [] });
    const out = await http.get('/compliance/stations/CP-000003').set(as(KEYS.operator));
    expect(out.body).toMatchObject({ outOfService: true, reasons: [expect.stringMatching(/eichrecht-meter-mismatch/)] });
    expect((await http.get('/compliance/stations/CP-000003').set(as(KEYS.alpha))).status).toBe(403);
  });
});

describe('auditor exports and report', () => {
  const station = () => manifest.registry[0].stationId;

  it('exports a station period as NDJSON in pagination order, CSV, and SAFE XML that verifies', async () => {
    const nd = await http.get(`/auditor/stations/${station()}/datasets`).set(as(KEYS.auditor)).buffer(true);
    const rows = nd.text.trim().split('\n').map((l) => JSON.parse(l));
    expect(rows.length).toBeGreaterThan(3);
    const byStream = new Map<string, number[]>();
    for (const r of rows) byStream.set(r.streamId, [...(byStream.get(r.streamId) ?? []), Number(r.counter)]);
    for (const counters of byStream.values()) expect(counters).toEqual([...counters].sort((a, b) => a - b));
    const csv = await http.get(`/auditor/stations/${station()}/datasets`).query({ format: 'csv' }).set(as(KEYS.auditor)).buffer(true);
    expect(csv.text.split('\n')[0]).toMatch(/^stationId,streamId,publicKey,counter/);
    expect(csv.text.trim().split('\n')).toHaveLength(rows.length + 1);
    const x = await http.get(`/auditor/stations/${station()}/datasets`).query({ format: 'safe-xml' }).set(as(KEYS.auditor)).buffer(true);
    const read = readContainer(x.text);
    expect(read.ok).toBe(true);
    if (read.ok) {
      expect(read.datasets.length).toBeGreaterThanOrEqual(rows.length);
      for (const d of read.datasets) expect(verifyOcmf(d.ocmf, { publicKey: d.publicKey }).verdict).toBe('valid');
    }
    const later = await http.get(`/auditor/stations/${station()}/datasets`).query({ from: '2030-01-01T00:00:00Z' }).set(as(KEYS.auditor));
    expect(later.text).toBe('');
  });

  it('renders the audit report as HTML with charts, and the same data as JSON and CSV', async () => {
    const withGap = manifest.expected.gaps[0]?.stationId ?? station();
    const html = await http.get(`/auditor/stations/${withGap}/report`).set(as(KEYS.auditor));
    expect(html.status).toBe(200);
    expect(html.text).toMatch(/<svg role="img" aria-label="Energy delivered per day/);
    expect(html.text).toMatch(/Verification outcomes/);
    const json = await http.get(`/auditor/stations/${withGap}/report`).query({ format: 'json' }).set(as(KEYS.auditor));
    expect(json.body.stationId).toBe(withGap);
    expect(json.body.energyPerDay.length).toBeGreaterThan(0);
    expect(json.body.outcomes.valid).toBeGreaterThan(0);
    const csv = await http.get(`/auditor/stations/${withGap}/report`).query({ format: 'csv' }).set(as(KEYS.auditor));
    expect(csv.text).toMatch(/^section,key,value,sessions\nenergy_kwh,/);
    expect((await http.get(`/auditor/stations/${withGap}/report`).set(as(KEYS.alpha))).status).toBe(403);
  });
});
