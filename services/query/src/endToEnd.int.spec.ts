import request from 'supertest';
import type { INestApplication } from '@nestjs/common';
import { DEFAULT_FAULTS, type OcmfDatasetMessage } from '@metrology-ledger/cp800-model';
import { ensureKafka, KafkaPipelineHarness, reconcileWithManifest } from '@metrology-ledger/ingest';
import { Ledger } from '@metrology-ledger/ledger';
import { verifyOcmf } from '@metrology-ledger/ocmf';
import { CredentialStore } from './auth/Credential';
import { createQueryApp } from './createQueryApp';
import { rebuildReadModels } from './readmodel/rebuildReadModels';
import { SessionReadModel } from './readmodel/SessionReadModel';

// Simulated fleet -> Kafka -> ingest -> ledger (PostgreSQL) -> query, each answer checked against the
// simulator's manifest.
const EMSP_KEYS: Record<string, string> = {
  'DE-EMP-ALPHA': 'e2e-alpha-key-0123456789',
  'DE-EMP-BETA': 'e2e-beta-key-01234567890',
  'DE-EMP-GAMMA': 'e2e-gamma-key-0123456789',
  'AT-EMP-DELTA': 'e2e-delta-key-0123456789',
};
const AUDITOR = 'e2e-auditor-key-01234567';

const h = new KafkaPipelineHarness();
let app: INestApplication;
let http: ReturnType<typeof request>;

beforeAll(async () => {
  ensureKafka();
  await h.prepare({ seed: 41, stations: 8, days: 4, faults: { ...DEFAULT_FAULTS, drop: 0.04, duplicate: 0.04, tamper: 0.04, wrongKey: 0.03, conflict: 0.05, keyReplace: 0.3 } });
  const ingest = h.startIngest();
  await h.produce();
  await h.waitUntilAllRecorded(ingest);
  expect((await reconcileWithManifest(h.store, h.manifest)).differences).toEqual([]);
  const sessions = new SessionReadModel();
  await rebuildReadModels(h.store, sessions);
  const credentials = CredentialStore.fromEnvironment([...Object.entries(EMSP_KEYS).map(([emsp, key]) => `${key}=emsp:${emsp}`), `${AUDITOR}=auditor`].join(';'));
  app = await createQueryApp({ ledger: new Ledger(h.store), sessions, credentials });
  await app.init();
  http = request(app.getHttpServer());
});

afterAll(async () => {
  await app?.close();
  await h.cleanup();
});

const datasets = () => h.messages.filter((m): m is OcmfDatasetMessage => m.kind === 'ocmf-dataset');
const verifies = (d: OcmfDatasetMessage) => h.manifest.registry.find((r) => r.stationId === d.stationId)!.keys.some((k) => verifyOcmf(d.ocmf, { publicKey: k.publicKey }).verdict === 'valid');
const counterOf = (d: OcmfDatasetMessage) => Number(/"PG":"T(\d+)-/.exec(d.ocmf)![1]);

async function allSessions(emsp: string): Promise<{ transactionId: string; status: string }[]> {
  const out: { transactionId: string; status: string }[] = [];
  let cursor: string | undefined;
  do {
    const r = await http.get('/emsp/sessions').query({ limit: 50, ...(cursor ? { cursor } : {}) }).set({ Authorization: `Bearer ${EMSP_KEYS[emsp]}` });
    expect(r.status).toBe(200);
    out.push(...r.body.items);
    cursor = r.body.nextCursor ?? undefined;
  } while (cursor);
  return out;
}

describe('query answers match the simulator manifest', () => {
  it.each(Object.keys(EMSP_KEYS))('%s sees exactly its verified sessions, each once', async (emsp) => {
    const expected = new Set(datasets().filter((d) => d.emspId === emsp && verifies(d)).map((d) => d.transactionId));
    const got = await allSessions(emsp);
    expect(new Set(got.map((s) => s.transactionId))).toEqual(expected);
    expect(got.length).toBe(expected.size);
  });

  it('refuses a billing figure for every conflict and for every session whose only packet was tampered', async () => {
    for (const c of h.manifest.expected.conflicts) {
      const d = datasets().find((x) => x.stationId === c.stationId && counterOf(x) === c.counter && verifies(x))!;
      const r = await http.get(`/emsp/sessions/${d.transactionId}/billing`).set({ Authorization: `Bearer ${EMSP_KEYS[d.emspId]}` });
      expect(r.status).toBe(409);
    }
    const tampered = h.manifest.injected.filter((i) => i.kind === 'tamper');
    expect(tampered.length).toBeGreaterThan(0);
    for (const t of tampered) {
      const d = datasets().find((x) => x.stationId === t.stationId && counterOf(x) === t.counter && !verifies(x))!;
      const r = await http.get(`/emsp/sessions/${d.transactionId}/billing`).set({ Authorization: `Bearer ${EMSP_KEYS[d.emspId]}` });
      expect(r.status).toBe(404);
      expect(r.body.energy).toBeUndefined();
    }
  });

  it('reports per station the rejections and open gaps of the manifest', async () => {
    const reconciled = await reconcileWithManifest(h.store, h.manifest);
    let gaps = 0;
    for (const s of h.manifest.registry) {
      const auth = { Authorization: `Bearer ${AUDITOR}` };
      const rej = await http.get(`/auditor/stations/${s.stationId}/rejections`).set(auth);
      const datasetRejections = rej.body.filter((x: { code: string }) => x.code === 'invalid-signature');
      expect(datasetRejections.length).toBe(h.manifest.expected.rejections.filter((x) => x.stationId === s.stationId).length);
      const g = await http.get(`/auditor/stations/${s.stationId}/gaps`).set(auth);
      for (const stream of g.body) for (const range of stream.gaps) gaps += Number(range.to) - Number(range.from) + 1;
      expect((await http.get(`/auditor/stations/${s.stationId}/chain`).set(auth)).body.ok).toBe(true);
    }
    expect(gaps).toBe(reconciled.counts.openGaps);
  });
});
