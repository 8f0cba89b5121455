import { DEFAULT_FAULTS, type OcmfDatasetMessage } from '@metrology-ledger/cp800-model';
import { Ledger } from '@metrology-ledger/ledger';
import { verifyOcmf } from '@metrology-ledger/ocmf';
import { ensureKafka, KafkaPipelineHarness } from './KafkaPipelineHarness';
import { reconcileWithManifest } from './reconcileWithManifest';

// Simulated fleet -> Kafka -> ingest -> ledger (PostgreSQL) -> query, each answer checked against the
// simulator's manifest. Ingest and query run as separate processes from their build output, as a
// user runs them; every question goes over HTTP.
const EMSP_KEYS: Record<string, string> = {
  'DE-EMP-ALPHA': 'e2e-alpha-key-0123456789',
  'DE-EMP-BETA': 'e2e-beta-key-01234567890',
  'DE-EMP-GAMMA': 'e2e-gamma-key-0123456789',
  'AT-EMP-DELTA': 'e2e-delta-key-0123456789',
};
const AUDITOR = 'e2e-auditor-key-01234567';

const h = new KafkaPipelineHarness();
let url: string;

async function get(path: string, key: string): Promise<{ status: number; body: any }> {
  const r = await fetch(`${url}${path}`, { headers: { Authorization: `Bearer ${key}` } });
  return { status: r.status, body: r.headers.get('content-type')?.includes('json') ? await r.json() : await r.text() };
}

/** Every item of a paged auditor list, following `nextCursor` to the end. */
async function allPages<T>(path: string, key: string): Promise<T[]> {
  const out: T[] = [];
  let cursor: string | null = null;
  do {
    const r: { status: number; body: { items: T[]; nextCursor: string | null } } = await get(`${path}${path.includes('?') ? '&' : '?'}limit=100${cursor ? `&after=${encodeURIComponent(cursor)}` : ''}`, key);
    expect(r.status).toBe(200);
    out.push(...r.body.items);
    cursor = r.body.nextCursor;
  } while (cursor);
  return out;
}

beforeAll(async () => {
  ensureKafka();
  await h.prepare({ seed: 41, stations: 8, days: 4, faults: { ...DEFAULT_FAULTS, drop: 0.04, duplicate: 0.04, tamper: 0.04, wrongKey: 0.03, conflict: 0.05, keyReplace: 0.3 } });
  const ingest = h.startIngest();
  await h.produce();
  await h.waitUntilAllRecorded(ingest);
  expect((await reconcileWithManifest(new Ledger(h.store), h.manifest)).differences).toEqual([]);
  ({ url } = await h.startQuery([...Object.entries(EMSP_KEYS).map(([emsp, key]) => `${key}=emsp:${emsp}`), `${AUDITOR}=auditor`].join(';')));
});

afterAll(async () => {
  await h.cleanup();
});

const datasets = () => h.messages.filter((m): m is OcmfDatasetMessage => m.kind === 'ocmf-dataset');
const verifies = (d: OcmfDatasetMessage) => h.manifest.registry.find((r) => r.stationId === d.stationId)!.keys.some((k) => verifyOcmf(d.ocmf, { publicKey: k.publicKey }).verdict === 'valid');
const counterOf = (d: OcmfDatasetMessage) => Number(/"PG":"T(\d+)-/.exec(d.ocmf)![1]);

async function allSessions(emsp: string): Promise<{ transactionId: string; status: string }[]> {
  const out: { transactionId: string; status: string }[] = [];
  let cursor: string | undefined;
  do {
    const r = await get(`/emsp/sessions?limit=50${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, EMSP_KEYS[emsp]);
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
      const r = await get(`/emsp/sessions/${d.transactionId}/billing`, EMSP_KEYS[d.emspId]);
      expect(r.status).toBe(409);
    }
    const tampered = h.manifest.injected.filter((i) => i.kind === 'tamper');
    expect(tampered.length).toBeGreaterThan(0);
    for (const t of tampered) {
      const d = datasets().find((x) => x.stationId === t.stationId && counterOf(x) === t.counter && !verifies(x))!;
      const r = await get(`/emsp/sessions/${d.transactionId}/billing`, EMSP_KEYS[d.emspId]);
      expect(r.status).toBe(404);
      expect(r.body.energy).toBeUndefined();
    }
  });

  it('reports per station the rejections and open gaps of the manifest', async () => {
    const reconciled = await reconcileWithManifest(new Ledger(h.store), h.manifest);
    let gaps = 0;
    for (const s of h.manifest.registry) {
      const rejections = await allPages<{ code: string }>(`/auditor/stations/${s.stationId}/rejections`, AUDITOR);
      const datasetRejections = rejections.filter((x) => x.code === 'invalid-signature');
      expect(datasetRejections.length).toBe(h.manifest.expected.rejections.filter((x) => x.stationId === s.stationId).length);
      const g = await get(`/auditor/stations/${s.stationId}/gaps`, AUDITOR);
      for (const stream of g.body) for (const range of stream.gaps) gaps += Number(range.to) - Number(range.from) + 1;
      expect((await get(`/auditor/stations/${s.stationId}/chain`, AUDITOR)).body.ok).toBe(true);
    }
    expect(gaps).toBe(reconciled.counts.openGaps);
  });
});
