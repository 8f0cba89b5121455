import { checkpointProblem, LedgerSigningKey, verifyBundle, verifyConsistency, type EvidenceBundle } from '@metrology-ledger/ledger';
import { SignedTestStation } from '../testing/SignedTestStation';
import { as, startTestApp, TEST_KEYS } from '../testing/testApp';

const key = LedgerSigningKey.generate('ECDSA-P256-SHA256');
let t: Awaited<ReturnType<typeof startTestApp>>;
const station = new SignedTestStation('CP-EV1');

beforeAll(async () => {
  t = await startTestApp({}, undefined, undefined, { signingKey: key });
  await t.ledger.registerKey({ stationId: 'CP-EV1', publicKey: station.publicKey, validFrom: '2025-01-01T00:00:00Z' });
  for (const c of ['1', '2', '4']) await t.ledger.recordDataset(station.dataset(c));
  await t.ledger.recordDataset(station.dataset('2', { variant: 'OTHER' }));
});
afterAll(async () => t.app.close());

describe('GET /auditor/stations/:id/bundle', () => {
  it('gives the auditor a bundle that verifies offline under the ledger key', async () => {
    const r = await t.http.get('/auditor/stations/CP-EV1/bundle').set(as(TEST_KEYS.auditor));
    expect(r.status).toBe(200);
    expect(r.headers['content-disposition']).toMatch(/attachment; filename="bundle-CP-EV1-\d+\.json"/);
    const bundle = JSON.parse(r.text) as EvidenceBundle;
    expect(verifyBundle(bundle, { ledgerKey: key.publicKey })).toMatchObject({ ok: true, checked: { packets: 4, keys: 1 } });
    expect(bundle.completeness.keys[0]).toMatchObject({ openGaps: [{ from: '3', to: '3' }], conflicts: [expect.objectContaining({ counter: '2' })] });
  });

  it('carries the consistency proof from an older checkpoint when asked (after=<tree size>)', async () => {
    const first = JSON.parse((await t.http.get('/auditor/stations/CP-EV1/bundle').set(as(TEST_KEYS.auditor))).text) as EvidenceBundle;
    await t.ledger.recordDataset(station.dataset('3'));
    const r = await t.http.get(`/auditor/stations/CP-EV1/bundle?after=${first.checkpoint.statement.treeSize}`).set(as(TEST_KEYS.auditor));
    expect(r.status).toBe(200);
    expect(verifyBundle(JSON.parse(r.text), { ledgerKey: key.publicKey, after: first })).toMatchObject({ ok: true, checked: { afterCheckpoint: first.checkpoint.statement.sequence } });
    expect(JSON.parse(r.text).completeness.keys[0].openGaps).toEqual([]);
  });

  it('publishes the ledger key and a checkpoint, with the consistency proof from an older one', async () => {
    const first = await t.http.get('/auditor/checkpoint').set(as(TEST_KEYS.auditor));
    expect(first.status).toBe(200);
    expect(first.body.ledgerKey).toEqual(key.publicKey);
    expect(checkpointProblem(first.body.checkpoint, key.publicKey)).toBeUndefined();
    await t.ledger.recordDataset(station.dataset('5'));
    const m = first.body.checkpoint.statement;
    const next = await t.http.get(`/auditor/checkpoint?from=${m.treeSize}`).set(as(TEST_KEYS.auditor));
    const n = next.body.checkpoint.statement;
    expect(n.treeSize).toBeGreaterThan(m.treeSize);
    expect(verifyConsistency(m.treeSize, n.treeSize, m.rootHash, n.rootHash, next.body.consistency.proof)).toBe(true);
    expect((await t.http.get('/auditor/checkpoint').set(as(TEST_KEYS.emsp))).status).toBe(403);
  });

  it('refuses other roles, no key, an unknown tree size and a bad period', async () => {
    expect((await t.http.get('/auditor/stations/CP-EV1/bundle').set(as(TEST_KEYS.emsp))).status).toBe(403);
    expect((await t.http.get('/auditor/stations/CP-EV1/bundle')).status).toBe(401);
    const unknown = await t.http.get('/auditor/stations/CP-EV1/bundle?after=999999').set(as(TEST_KEYS.auditor));
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toMatch(/no checkpoint of this ledger has tree size 999999/);
    expect((await t.http.get('/auditor/stations/CP-EV1/bundle?after=-1').set(as(TEST_KEYS.auditor))).status).toBe(400);
    expect((await t.http.get('/auditor/stations/CP-EV1/bundle?from=2025-02-30').set(as(TEST_KEYS.auditor))).status).toBe(400);
  });

  it('answers 503 with the reason when the ledger has no signing key', async () => {
    const bare = await startTestApp();
    try {
      const r = await bare.http.get('/auditor/stations/CP-EV1/bundle').set(as(TEST_KEYS.auditor));
      expect(r.status).toBe(503);
      expect(r.body.message).toMatch(/LEDGER_SIGNING_KEY_FILE/);
    } finally {
      await bare.app.close();
    }
  });
});
