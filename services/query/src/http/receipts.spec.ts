import { SignedTestStation } from '../testing/SignedTestStation';
import { as, startTestApp, TEST_KEYS } from '../testing/testApp';
import { rebuildReadModels } from '../readmodel/rebuildReadModels';
import { readContainer } from '@metrology-ledger/ocmf';

// Duties 3 and 5: the customer's proof, at a capability URL that expires.
let t: Awaited<ReturnType<typeof startTestApp>>;
const station = new SignedTestStation('CP-R1');
const billed = station.dataset('1', { transactionId: 'tx-receipt' });

beforeAll(async () => {
  t = await startTestApp();
  await t.ledger.recordDataset(billed);
  await t.ledger.recordDataset(station.dataset('2', { transactionId: 'tx-conflict' }));
  await t.ledger.recordDataset(station.dataset('2', { transactionId: 'tx-conflict', variant: 'OTHER' }));
  await t.ledger.recordDataset(station.dataset('3', { transactionId: 'tx-other', emspId: 'NL-OTHER' }));
  await t.ledger.recordDataset(station.dataset('4', { transactionId: 'tx-late' }));
  await rebuildReadModels(t.ledger, t.sessions);
});
afterAll(async () => t.app.close());

const ask = (body: object, key = TEST_KEYS.emsp) => t.http.post('/emsp/receipts').set(as(key)).send(body);

describe('receipts', () => {
  it('gives a link the customer opens without a key: printable page with eMSP, times, kWh, identification, packet, key and how to check', async () => {
    const r = await ask({ transactionId: 'tx-receipt', days: 7 });
    expect(r.status).toBe(201);
    expect(r.body.url).toMatch(/^\/receipts\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}$/);
    expect(Date.parse(r.body.expiresAt) - Date.now()).toBeGreaterThan(6 * 86_400_000);
    const page = await t.http.get(r.body.url);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['content-security-policy']).toBe("default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
    for (const text of ['DE-EMP-ALPHA', '2025-06-01T10:00:00.000Z', '2025-06-01T11:00:00.000Z', '<strong>1.25 kWh</strong>', 'ISO14443 A1B2C3D4', station.publicKey, 'transparency software', 'href="/verify"']) expect(page.text).toContain(text);
    expect(page.text).toContain(billed.ocmf.replace(/"/g, '&quot;'));
    const xml = await t.http.get(r.body.safeXmlUrl);
    expect(xml.status).toBe(200);
    expect(xml.headers['content-disposition']).toMatch(/^attachment; filename="receipt-T1\.xml"$/);
    const read = readContainer(xml.text);
    expect(read.ok && read.datasets[0].ocmf).toBe(billed.ocmf);
  });

  it('refuses a receipt with the reason where no packet proves the energy, and for another eMSP’s session', async () => {
    expect((await ask({ transactionId: 'tx-conflict' })).body).toMatchObject({ statusCode: 409, reason: 'conflict' });
    expect((await ask({ transactionId: 'tx-other' })).body).toMatchObject({ statusCode: 404, reason: 'missing' });
    expect((await ask({ transactionId: 'tx-receipt', days: 91 })).status).toBe(400);
    expect((await ask({ transactionId: 'tx-receipt' }, TEST_KEYS.auditor)).status).toBe(403);
  });

  it('checks the packet again when the link is opened: a session fallen into conflict has no receipt any more', async () => {
    const r = await ask({ transactionId: 'tx-late' });
    expect((await t.http.get(r.body.url)).status).toBe(200);
    await t.ledger.recordDataset(station.dataset('4', { transactionId: 'tx-late', variant: 'LATE' }));
    await rebuildReadModels(t.ledger, t.sessions);
    const again = await t.http.get(r.body.url);
    expect(again.status).toBe(409);
    expect(again.body.reason).toBe('conflict');
  });

  it('answers 404 to a link it did not issue or that was altered', async () => {
    const r = await ask({ transactionId: 'tx-receipt' });
    expect((await t.http.get(`${r.body.url.slice(0, -2)}AA`)).status).toBe(404);
    expect((await t.http.get('/receipts/nothing')).status).toBe(404);
  });
});
