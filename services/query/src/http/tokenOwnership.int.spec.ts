import { randomBytes } from 'node:crypto';
import type { OcppTransactionFact, Receipt } from '@metrology-ledger/ledger';
import { PostgresSessionStore } from '../readmodel/PostgresSessionStore';
import { SessionProjector } from '../readmodel/SessionProjector';
import { SessionReadModel } from '../readmodel/SessionReadModel';
import type { SessionStore } from '../readmodel/SessionStore';
import { SignedTestStation } from '../testing/SignedTestStation';
import { as, startTestApp, TEST_KEYS } from '../testing/testApp';

// Who owns a session from an OCPP station, through the HTTP API, on both read-model stores.
// PostgreSQL: the server of this machine (127.0.0.1:5432, database test), a schema of its own.
const STORES: [string, () => Promise<SessionStore & { dropSchema?: () => Promise<void> }>][] = [
  ['sqlite', async () => new SessionReadModel(':memory:')],
  [
    'postgres',
    async () => {
      const s = new PostgresSessionStore({ host: process.env.PGHOST ?? '127.0.0.1', user: process.env.PGUSER ?? 'postgres', database: process.env.PGDATABASE ?? 'test', schema: `q_own_${randomBytes(4).toString('hex')}` });
      await s.init();
      return s;
    },
  ],
];

const receipt = (messageId: string): Receipt => ({ messageId, receivedAt: '2025-06-01T10:00:00Z', source: 'test', messageSha256: 'a'.repeat(64) });
const STATION = 'CP-T1';

describe.each(STORES)('who owns a session, through the HTTP API (%s read model)', (_name, open) => {
  let t: Awaited<ReturnType<typeof startTestApp>>;
  let store: Awaited<ReturnType<typeof open>>;
  let projector: SessionProjector;
  const refresh = () => projector.catchUp();
  const emsp = (path: string) => t.http.get(path).set(as(TEST_KEYS.emsp));

  beforeAll(async () => {
    store = await open();
    t = await startTestApp({}, undefined, store);
    projector = new SessionProjector(t.ledger, store);
    const station = new SignedTestStation(STATION);
    const facts: OcppTransactionFact[] = [
      { type: 'OcppTransactionStarted', data: { stationId: STATION, ocppMessageId: 'm1', idTag: 'a1b2c3d4', connector: 1, meterStart: 0, timestamp: '2025-06-01T10:00:00Z', receipt: receipt(`${STATION}:m1`) } },
      { type: 'OcppTransactionIdAssigned', data: { stationId: STATION, ocppMessageId: 'm1', transactionId: '4711', idTagStatus: 'Accepted', receipt: receipt(`${STATION}:m1:result`) } },
      { type: 'OcppTransactionStarted', data: { stationId: STATION, ocppMessageId: 'm2', idTag: '99887766', connector: 1, meterStart: 0, timestamp: '2025-06-01T12:00:00Z', receipt: receipt(`${STATION}:m2`) } },
      { type: 'OcppTransactionIdAssigned', data: { stationId: STATION, ocppMessageId: 'm2', transactionId: '4712', idTagStatus: 'Accepted', receipt: receipt(`${STATION}:m2:result`) } },
    ];
    for (const seqNo of ['0', '1', '3']) {
      facts.push({ type: 'OcppTransactionEventRecorded', data: { stationId: STATION, transactionId: 'tx-201', eventType: 'Updated', seqNo, triggerReason: 'MeterValuePeriodic', timestamp: '2025-06-01T10:00:00Z', receipt: receipt(`${STATION}:e${seqNo}`) } });
    }
    for (const f of facts) await t.ledger.recordTransactionFact(f);
    // Datasets from frames carry no eMSP: the OCMF ID is A1B2C3D4 (ISO14443) in both.
    await t.ledger.recordDataset({ ...station.dataset('1', { transactionId: '4711' }), emspId: undefined });
    await t.ledger.recordDataset({ ...station.dataset('2', { transactionId: '4712' }), emspId: undefined });
    await refresh();
  });
  afterAll(async () => {
    await t.app.close();
    await store.dropSchema?.();
    await store.close().catch(() => undefined);
  });

  it('keeps a session whose token is unknown, visible to operators and auditors and to no eMSP', async () => {
    expect((await emsp('/emsp/sessions').expect(200)).body.items).toEqual([]);
    await emsp('/emsp/sessions/4711').expect(404);
    for (const key of [TEST_KEYS.operator, TEST_KEYS.auditor]) {
      const body = (await t.http.get(`/sessions?owner=none&stationId=${STATION}`).set(as(key)).expect(200)).body;
      expect(body.items.map((s: { transactionId: string }) => s.transactionId)).toEqual(['4711', '4712']);
      expect(body.items[0]).toMatchObject({ emspId: null, emspSource: null, token: { uid: 'a1b2c3d4', type: null, source: 'ocpp' }, tokenMismatch: null });
    }
    await emsp('/sessions').expect(403);
  });

  it('flags the session whose OCPP token is not the signed identification', async () => {
    const body = (await t.http.get(`/sessions?stationId=${STATION}`).set(as(TEST_KEYS.operator)).expect(200)).body;
    expect(body.items[1].tokenMismatch).toBe('the OCPP token "99887766" differs from the signed identification ID "A1B2C3D4" (IT ISO14443)');
  });

  it('makes the session visible to its eMSP as soon as the eMSP registers the token', async () => {
    const put = await t.http.put('/emsp/tokens/A1B2C3D4').set(as(TEST_KEYS.emsp)).send({ type: 'RFID', contractId: 'DE-EMP-C00000001-1' }).expect(200);
    expect(put.body).toEqual({ uid: 'A1B2C3D4', emspId: 'DE-EMP-ALPHA', type: 'RFID', contractId: 'DE-EMP-C00000001-1', registered: true });
    await refresh();
    const own = (await emsp('/emsp/sessions').expect(200)).body.items;
    expect(own).toHaveLength(1);
    expect(own[0]).toMatchObject({ transactionId: '4711', emspId: 'DE-EMP-ALPHA', emspSource: 'registry', token: { uid: 'a1b2c3d4', source: 'ocpp' } });
    expect((await emsp('/emsp/sessions/4711/billing').expect(200)).body).toMatchObject({ energy: '1.25', stationId: STATION });
    expect((await t.http.get('/sessions?owner=none').set(as(TEST_KEYS.auditor)).expect(200)).body.items.map((s: { transactionId: string }) => s.transactionId)).toEqual(['4712']);
    expect((await emsp('/emsp/tokens').expect(200)).body.items).toEqual([expect.objectContaining({ uid: 'A1B2C3D4', emspId: 'DE-EMP-ALPHA', status: 'registered', changedBy: 'emsp:DE-EMP-ALPHA' })]);
  });

  it('takes the session away again when the eMSP withdraws its token', async () => {
    expect((await t.http.delete('/emsp/tokens/a1b2c3d4').set(as(TEST_KEYS.emsp)).expect(200)).body).toEqual({ uid: 'A1B2C3D4', emspId: 'DE-EMP-ALPHA', withdrawn: true });
    await refresh();
    expect((await emsp('/emsp/sessions').expect(200)).body.items).toEqual([]);
    expect((await emsp('/emsp/tokens').expect(200)).body.items).toEqual([]);
  });

  it('lets the operator register for any eMSP; an eMSP cannot take it (409), withdraw it (404) or register for another eMSP', async () => {
    await t.http.put('/operator/tokens/99887766').set(as(TEST_KEYS.operator)).send({ type: 'RFID', emspId: 'DE-OTHER' }).expect(200);
    expect((await t.http.put('/emsp/tokens/99887766').set(as(TEST_KEYS.emsp)).send({ type: 'RFID' }).expect(409)).body).toMatchObject({ rule: 'token-owned' });
    expect((await t.http.delete('/emsp/tokens/99887766').set(as(TEST_KEYS.emsp)).expect(404)).body).toMatchObject({ rule: 'token-unknown' });
    await t.http.put('/emsp/tokens/55').set(as(TEST_KEYS.emsp)).send({ type: 'RFID', emspId: 'DE-OTHER' }).expect(400);
    await refresh();
    const all = (await t.http.get('/auditor/tokens').set(as(TEST_KEYS.auditor)).expect(200)).body.items;
    expect(all.map((x: { uid: string; status: string; emspId: string }) => [x.uid, x.status, x.emspId])).toEqual([
      ['A1B2C3D4', 'withdrawn', 'DE-EMP-ALPHA'],
      ['99887766', 'registered', 'DE-OTHER'],
    ]);
    expect((await t.http.get('/operator/tokens?limit=1').set(as(TEST_KEYS.operator)).expect(200)).body.nextCursor).toEqual(expect.any(String));
  });

  it('refuses token writes from auditors, bad types and uids, and eMSP keys on operator routes', async () => {
    await t.http.put('/operator/tokens/X1').set(as(TEST_KEYS.auditor)).send({ type: 'RFID', emspId: 'DE-A' }).expect(403);
    await t.http.put('/emsp/tokens/X1').set(as(TEST_KEYS.auditor)).send({ type: 'RFID' }).expect(403);
    await t.http.get('/operator/tokens').set(as(TEST_KEYS.emsp)).expect(403);
    await t.http.put('/emsp/tokens/X1').send({ type: 'RFID' }).expect(401);
    expect((await t.http.put('/emsp/tokens/X1').set(as(TEST_KEYS.emsp)).send({ type: 'CARD' }).expect(400)).body.message).toEqual(expect.arrayContaining([expect.stringContaining('type')]));
    expect((await t.http.put(`/emsp/tokens/${'x'.repeat(37)}`).set(as(TEST_KEYS.emsp)).send({ type: 'RFID' }).expect(400)).body).toMatchObject({ rule: 'token' });
    await t.http.put('/emsp/tokens/X1').set(as(TEST_KEYS.emsp)).send({ type: 'RFID', contractId: 'has space' }).expect(400);
  });

  it('reports a missing 2.0.1 seqNo like a gap, to auditors, on its endpoint and in the audit report', async () => {
    const body = (await t.http.get(`/auditor/stations/${STATION}/seqno-gaps`).set(as(TEST_KEYS.auditor)).expect(200)).body;
    expect(body.transactions).toEqual([{ transactionId: 'tx-201', lowestSeqNo: '0', highestSeqNo: '3', gaps: [{ from: '2', to: '2' }], missing: '1', evidence: [expect.objectContaining({ from: '2', to: '2', verdict: expect.any(String), reason: expect.any(String) })] }]);
    await emsp(`/auditor/stations/${STATION}/seqno-gaps`).expect(403);
    const report = (await t.http.get(`/auditor/stations/${STATION}/report?format=json`).set(as(TEST_KEYS.auditor)).expect(200)).body;
    expect(report.seqNoGaps).toEqual([{ transactionId: 'tx-201', missingCount: '1', missing: [{ from: '2', to: '2' }] }]);
    const csv = (await t.http.get(`/auditor/stations/${STATION}/report?format=csv`).set(as(TEST_KEYS.auditor)).expect(200)).text;
    expect(csv).toContain('seqno_missing,tx-201,2-2');
    const html = (await t.http.get(`/auditor/stations/${STATION}/report?format=html`).set(as(TEST_KEYS.auditor)).expect(200)).text;
    expect(html).toContain('<tr><td>tx-201</td><td>1</td><td>2</td></tr>');
  });
});
