import { SignedTestStation } from '../testing/SignedTestStation';
import { as, startTestApp, TEST_KEYS } from '../testing/testApp';
import { rebuildReadModels } from '../readmodel/rebuildReadModels';

// Duty 4: invoice lines checked against the signed packets of the eMSP's own sessions.
let t: Awaited<ReturnType<typeof startTestApp>>;
const s1 = new SignedTestStation('CP-I1');
const s2 = new SignedTestStation('CP-I2');
const okDataset = s1.dataset('1', { transactionId: 'tx-ok' });

beforeAll(async () => {
  t = await startTestApp();
  await t.ledger.recordDataset(okDataset);
  await t.ledger.recordDataset(s1.dataset('2', { transactionId: 'tx-conflict' }));
  await t.ledger.recordDataset(s1.dataset('2', { transactionId: 'tx-conflict', variant: 'OTHER' }));
  await t.ledger.recordDataset(s1.dataset('3', { transactionId: 'tx-range', endValue: '1e400' }));
  await t.ledger.recordDataset(s1.dataset('4', { transactionId: 'tx-other', emspId: 'NL-OTHER' }));
  await t.ledger.recordDataset(s1.dataset('5', { transactionId: 'tx-twice' }));
  await t.ledger.recordDataset(s2.dataset('1', { transactionId: 'tx-twice', endValue: '3.5' }));
  await rebuildReadModels(t.ledger, t.sessions);
});
afterAll(async () => t.app.close());

const check = (body: object) => t.http.post('/emsp/invoice-check').set(as(TEST_KEYS.emsp)).send(body);

describe('POST /emsp/invoice-check', () => {
  it('matches a line billing exactly the signed energy, with the packet, its key and what it proves', async () => {
    for (const kWh of ['1.25', '1.250', 1.25]) {
      const r = await check({ transactionId: 'tx-ok', kWh });
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ verdict: 'match', evidence: { stationId: 'CP-I1', pagination: 'T1', provenKWh: '1.25', verdict: 'valid', publicKey: s1.publicKey, ocmf: okDataset.ocmf, identification: { type: 'ISO14443', data: 'A1B2C3D4' } } });
    }
  });

  it('reports a mismatch with the difference, exactly (no floating point)', async () => {
    const r = await check({ transactionId: 'tx-ok', kWh: '1.250000001' });
    expect(r.body).toMatchObject({ verdict: 'mismatch', reason: 'energy-differs', message: expect.stringContaining('difference 0.000000001 kWh'), evidence: { provenKWh: '1.25' } });
  });

  it('reports readings outside the price period as a mismatch to look at', async () => {
    expect((await check({ transactionId: 'tx-ok', kWh: '1.25', priceFrom: '2025-06-01T10:30:00Z', priceTo: '2025-07-01' })).body).toMatchObject({ verdict: 'mismatch', reason: 'outside-price-period' });
    expect((await check({ transactionId: 'tx-ok', kWh: '1.25', priceFrom: '2025-06-01', priceTo: '2025-07-01' })).body.verdict).toBe('match');
  });

  it.each([
    ['no packet at all', { transactionId: 'tx-never', kWh: '1' }, 'missing'],
    ["another eMSP's session", { transactionId: 'tx-other', kWh: '1.25' }, 'missing'],
    ['a session in conflict', { transactionId: 'tx-conflict', kWh: '1.25' }, 'conflict'],
    ['a packet without an energy figure', { transactionId: 'tx-range', kWh: '1' }, 'no-energy'],
    ['a transaction id at two stations, no station given', { transactionId: 'tx-twice', kWh: '1.25' }, 'ambiguous'],
  ])('refuses a line billing energy no packet proves: %s', async (_, line, reason) => {
    const r = await check(line);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ verdict: 'refused', reason, message: expect.any(String) });
    expect(r.body.evidence).toBeUndefined();
  });

  it('checks the station given when the transaction id is used at two', async () => {
    expect((await check({ transactionId: 'tx-twice', stationId: 'CP-I2', kWh: '2' })).body).toMatchObject({ verdict: 'match', evidence: { stationId: 'CP-I2', provenKWh: '2' } });
  });

  it('refuses malformed lines with 400 and checks a whole invoice run in order', async () => {
    expect((await check({ transactionId: 'tx-ok', kWh: '-1' })).status).toBe(400);
    expect((await check({ transactionId: 'tx-ok', kWh: '1,25' })).status).toBe(400);
    expect((await check({ transactionId: 'tx-ok', kWh: '1', priceFrom: '2025-02-30' })).status).toBe(400);
    expect((await check({ transactionId: 'tx-ok', kWh: '1', extra: true })).status).toBe(400);
    expect((await t.http.post('/emsp/invoice-check').set(as(TEST_KEYS.auditor)).send({ transactionId: 'tx-ok', kWh: '1' })).status).toBe(403);
    const run = await t.http
      .post('/emsp/invoice-check/batch')
      .set(as(TEST_KEYS.emsp))
      .send({ lines: [{ transactionId: 'tx-ok', kWh: '1.25' }, { transactionId: 'tx-ok', kWh: '2' }, { transactionId: 'tx-conflict', kWh: '1.25' }] });
    expect(run.status).toBe(200);
    expect(run.body.results.map((r: { verdict: string }) => r.verdict)).toEqual(['match', 'mismatch', 'refused']);
    expect(run.body).toMatchObject({ matched: 1, mismatched: 1, refused: 1 });
    expect((await t.http.post('/emsp/invoice-check/batch').set(as(TEST_KEYS.emsp)).send({ lines: [] })).status).toBe(400);
  });
});
