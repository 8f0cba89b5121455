import { rebuildReadModels } from '../readmodel/rebuildReadModels';
import { SignedTestStation } from '../testing/SignedTestStation';
import { as, startTestApp, TEST_KEYS } from '../testing/testApp';

// Finding 3: a signed dataset whose pagination counter has 61 digits made gaps, report and chain hang.
// Gaps are ranges (the ledger's), and nothing in the query service walks counter values.
const BIG = '1' + '0'.repeat(60);
let t: Awaited<ReturnType<typeof startTestApp>>;

beforeAll(async () => {
  t = await startTestApp();
  const station = new SignedTestStation('CP-BIG');
  await t.ledger.recordDataset(station.dataset('1'));
  await t.ledger.recordDataset(station.dataset(BIG));
  await rebuildReadModels(t.ledger, t.sessions);
});
afterAll(async () => t.app.close());

const get = (path: string) => t.http.get(`/auditor/stations/CP-BIG${path}`).set(as(TEST_KEYS.auditor));

describe('a 61-digit pagination counter', () => {
  it('gives the open gap as one range with its exact size', async () => {
    const r = await get('/gaps');
    expect(r.status).toBe(200);
    expect(r.body).toEqual([expect.objectContaining({ stationId: 'CP-BIG', highestCounter: BIG, gaps: [{ from: '2', to: '9'.repeat(60) }], missing: (BigInt(BIG) - 2n).toString() })]);
  }, 10_000);

  it('answers the report in every format, with per-stream figures from the ranges', async () => {
    const json = await get('/report?format=json');
    expect(json.status).toBe(200);
    expect(json.body.streams).toEqual([expect.objectContaining({ lowest: '1', highest: BIG, recorded: 2, missingCount: (BigInt(BIG) - 2n).toString() })]);
    const html = await get('/report');
    expect(html.status).toBe(200);
    expect(html.text).toMatch(/counter range/);
    const csv = await get('/report?format=csv');
    expect(csv.status).toBe(200);
    expect(csv.text).toContain(`missing,datasets/CP-BIG/`);
  }, 10_000);

  it('checks the chain and exports the datasets', async () => {
    expect((await get('/chain')).body).toMatchObject({ ok: true, events: expect.any(Number) });
    const nd = await get('/datasets').buffer(true);
    expect(nd.text.trim().split('\n').map((l) => JSON.parse(l).counter)).toEqual(['1', BIG]);
  }, 10_000);
});
