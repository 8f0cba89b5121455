import { readContainer } from '@metrology-ledger/ocmf';
import { rebuildReadModels } from '../readmodel/rebuildReadModels';
import { SignedTestStation } from '../testing/SignedTestStation';
import { as, startTestApp, TEST_KEYS } from '../testing/testApp';

// Review findings: SAFE XML well-formed whatever the unsigned transaction id holds (1), sessions that
// share a transaction id at two stations (2), one transaction-id rule for the three eMSP session
// endpoints (3), impossible dates in from/to (4).
const FORBIDDEN_IN_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const NASTY_TX = 'a"<b>&\u0001\u0008c\uFFFE';
const PRINTABLE_NASTY_TX = 'a"<b>&c\uFFFE';
let t: Awaited<ReturnType<typeof startTestApp>>;

beforeAll(async () => {
  t = await startTestApp();
  const s1 = new SignedTestStation('CP-S1');
  const s2 = new SignedTestStation('CP-S2');
  const x = new SignedTestStation('CP-X');
  await t.ledger.recordDataset(s1.dataset('1', { transactionId: 'shared-tx' }));
  await t.ledger.recordDataset(s2.dataset('1', { transactionId: 'shared-tx', endValue: '3.5' }));
  await t.ledger.recordDataset(s1.dataset('2', { transactionId: 'tx space' }));
  await t.ledger.recordDataset(s1.dataset('3', { transactionId: 'tx#1' }));
  await t.ledger.recordDataset(s1.dataset('4', { transactionId: 'tx/slash' }));
  // A real conflict: two packets for one counter of one stream.
  await t.ledger.recordDataset(s2.dataset('2', { transactionId: 'conflicted-tx' }));
  await t.ledger.recordDataset(s2.dataset('2', { transactionId: 'conflicted-tx', variant: 'OTHER' }));
  // One station that reused a transaction id for two counters.
  await t.ledger.recordDataset(s1.dataset('5', { transactionId: 'reused-tx' }));
  await t.ledger.recordDataset(s1.dataset('6', { transactionId: 'reused-tx' }));
  await t.ledger.recordDataset(x.dataset('1', { transactionId: NASTY_TX }));
  await t.ledger.recordDataset(x.dataset('2', { transactionId: PRINTABLE_NASTY_TX }));
  await rebuildReadModels(t.ledger, t.sessions);
});
afterAll(async () => t.app.close());

const emsp = (path: string) => t.http.get(path).set(as(TEST_KEYS.emsp));
const ENDPOINTS = ['', '/signed-data', '/billing'];

describe('a transaction id used at two stations', () => {
  it.each(ENDPOINTS)('answers 409 ambiguous-transaction naming both stations, never one of them: %s', async (suffix) => {
    const r = await emsp(`/emsp/sessions/shared-tx${suffix}`);
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ reason: 'ambiguous-transaction', stationIds: ['CP-S1', 'CP-S2'] });
    expect(r.text).not.toContain('OCMF|');
  });

  it('answers each station with ?stationId', async () => {
    for (const [stationId, energy] of [['CP-S1', '1.25'], ['CP-S2', '2']] as const) {
      const one = await emsp(`/emsp/sessions/shared-tx?stationId=${stationId}`);
      expect(one.status).toBe(200);
      expect(one.body).toEqual([expect.objectContaining({ stationId, transactionId: 'shared-tx' })]);
      const bill = await emsp(`/emsp/sessions/shared-tx/billing?stationId=${stationId}`);
      expect(bill.status).toBe(200);
      expect(bill.body).toMatchObject({ stationId, energy });
      const xml = await emsp(`/emsp/sessions/shared-tx/signed-data?format=safe-xml&stationId=${stationId}`).buffer(true);
      expect(xml.status).toBe(200);
      const read = readContainer(xml.text);
      expect(read.ok && read.datasets.map((d) => d.ocmf)).toEqual([expect.stringContaining(`"MS":"${stationId}-M1"`)]);
    }
  });

  it('validates stationId with the station-id rule and finds nothing at another station', async () => {
    for (const suffix of ENDPOINTS) {
      const bad = await emsp(`/emsp/sessions/shared-tx${suffix}?stationId=${encodeURIComponent('CP S1')}`);
      expect(bad.status).toBe(400);
      expect(JSON.stringify(bad.body.message)).toMatch(/stationId/);
      expect((await emsp(`/emsp/sessions/shared-tx${suffix}?stationId=CP-X`)).status).toBe(404);
    }
  });

  it('keeps a real conflict (two packets for one counter) a conflict', async () => {
    const r = await emsp('/emsp/sessions/conflicted-tx/billing');
    expect(r.status).toBe(409);
    expect(r.body.reason).toBe('conflict');
    expect((await emsp('/emsp/sessions/conflicted-tx')).body).toEqual([expect.objectContaining({ status: 'conflict', conflicts: 1 })]);
  });

  it('picks no packet when one station reused the id for two counters', async () => {
    expect((await emsp('/emsp/sessions/reused-tx')).body).toHaveLength(2);
    for (const suffix of ['/signed-data', '/billing']) {
      const r = await emsp(`/emsp/sessions/reused-tx${suffix}?stationId=CP-S1`);
      expect(r.status).toBe(409);
      expect(r.body).toMatchObject({ reason: 'conflict', message: expect.stringContaining('T5, T6') });
    }
  });
});

describe('one transaction-id rule for the session endpoints', () => {
  it.each(['tx space', 'tx#1', 'tx/slash'])('answers %s (URL-encoded) on all three endpoints', async (tx) => {
    for (const suffix of ENDPOINTS) {
      const r = await emsp(`/emsp/sessions/${encodeURIComponent(tx)}${suffix}`);
      expect(r.status).toBe(200);
    }
    expect((await emsp(`/emsp/sessions/${encodeURIComponent(tx)}/billing`)).body.transactionId).toBe(tx);
  });

  it('refuses control characters and more than 100 characters with 400 on all three', async () => {
    for (const suffix of ENDPOINTS) {
      for (const tx of ['tx\u0001', 'tx\u007F', 'x'.repeat(101)]) {
        const r = await emsp(`/emsp/sessions/${encodeURIComponent(tx)}${suffix}`);
        expect(r.status).toBe(400);
        expect(r.body.rule).toBe('transaction-id');
      }
      expect((await emsp(`/emsp/sessions/${'y'.repeat(100)}${suffix}`)).status).toBe(404);
    }
  });
});

describe('SAFE XML is well-formed whatever the transaction id holds', () => {
  it('replaces characters XML 1.0 forbids in the auditor export and escapes the rest', async () => {
    const r = await t.http.get('/auditor/stations/CP-X/datasets?format=safe-xml').set(as(TEST_KEYS.auditor)).buffer(true);
    expect(r.status).toBe(200);
    expect(r.text).not.toMatch(FORBIDDEN_IN_XML);
    expect(r.text).toContain('<value transactionId="a&quot;&lt;b&gt;&amp;\uFFFD\uFFFDc\uFFFD" context="Transaction.End">');
    const read = readContainer(r.text);
    expect(read.ok && read.datasets.map((d) => d.transactionId)).toEqual(['a"<b>&\uFFFD\uFFFDc\uFFFD', 'a"<b>&c\uFFFD']);
  });

  it('does the same in the eMSP signed-data answer', async () => {
    const r = await emsp(`/emsp/sessions/${encodeURIComponent(PRINTABLE_NASTY_TX)}/signed-data?format=safe-xml`).buffer(true);
    expect(r.status).toBe(200);
    expect(r.text).not.toMatch(FORBIDDEN_IN_XML);
    expect(r.text).toContain('<value transactionId="a&quot;&lt;b&gt;&amp;c\uFFFD" context="Transaction.End">');
    expect(readContainer(r.text).ok).toBe(true);
  });
});

describe('from and to are calendar date-times that exist', () => {
  const paths = ['/emsp/sessions', '/auditor/stations/CP-S1/datasets', '/auditor/stations/CP-S1/report'];
  const key = (path: string) => (path.startsWith('/emsp') ? TEST_KEYS.emsp : TEST_KEYS.auditor);

  it.each(['2025-W01', '2025-02-30', '2025-02-30T00:00:00Z', '2025-06-01T24:00:00Z', '2025-152'])('refuses %s with 400', async (bad) => {
    for (const path of paths) {
      for (const param of ['from', 'to']) {
        const r = await t.http.get(path).query({ [param]: bad, format: path.endsWith('report') ? 'json' : undefined }).set(as(key(path)));
        expect(r.status).toBe(400);
        expect(JSON.stringify(r.body.message)).toContain(`${param}: an ISO 8601 calendar date or date-time that exists`);
      }
    }
  });

  it('accepts real dates', async () => {
    for (const path of paths) {
      const r = await t.http.get(path).query({ from: '2024-02-29', to: '2025-06-02T00:00:00Z', ...(path.endsWith('report') ? { format: 'json' } : {}) }).set(as(key(path)));
      expect(r.status).toBe(200);
    }
  });
});
