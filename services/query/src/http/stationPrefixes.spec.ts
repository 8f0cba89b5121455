import { rebuildReadModels } from '../readmodel/rebuildReadModels';
import { SignedTestStation } from '../testing/SignedTestStation';
import { as, startTestApp, TEST_KEYS } from '../testing/testApp';

// Finding 4: CP-1's ledger, chain, conflicts and report included CP-1-2's data (stream-name prefixes).
// Every read names the station through the ledger API; CP-1-2 is seeded with more of everything.
let t: Awaited<ReturnType<typeof startTestApp>>;

beforeAll(async () => {
  t = await startTestApp();
  const seed = async (station: SignedTestStation, counters: string[], conflicts: string[], duplicates: string[], rejections: number) => {
    await t.ledger.registerKey({ stationId: station.stationId, publicKey: station.publicKey, validFrom: '2025-01-01T00:00:00Z' });
    for (const c of counters) await t.ledger.recordDataset(station.dataset(c));
    for (const c of conflicts) await t.ledger.recordDataset(station.dataset(c, { variant: 'OTHER' }));
    for (const c of duplicates) await t.ledger.recordDataset(station.dataset(c, { messageId: `${station.stationId}:${c}:again` }));
    for (let i = 0; i < rejections; i++) {
      await t.ledger.recordRejection({ stationId: station.stationId, reason: 'signature does not match', code: 'invalid-signature', raw: `raw ${i}`, receipt: { messageId: `${station.stationId}:rej:${i}`, receivedAt: '2025-06-01T12:00:00Z', source: 'test' } });
    }
  };
  await seed(new SignedTestStation('CP-1'), ['1', '2'], ['2'], ['1'], 0);
  await seed(new SignedTestStation('CP-1-2'), ['1', '2', '3', '5'], ['1', '3'], ['1', '2'], 2);
  await rebuildReadModels(t.ledger, t.sessions);
});
afterAll(async () => t.app.close());

const get = (path: string) => t.http.get(path).set(as(TEST_KEYS.auditor));

async function eventsOf(station: string): Promise<number> {
  let n = 0;
  for (const streamId of await t.ledger.stationStreams(station)) for await (const _ of t.ledger.eventsOf(streamId)) n++;
  return n;
}

describe('stations sharing a prefix (CP-1 and CP-1-2)', () => {
  it('exports only CP-1 in /ledger', async () => {
    const r = await get('/auditor/stations/CP-1/ledger').buffer(true);
    const lines = r.text.trim().split('\n').map((l) => JSON.parse(l));
    const own = new Set(await t.ledger.stationStreams('CP-1'));
    expect(lines.length).toBe(await eventsOf('CP-1'));
    expect(lines.every((l) => own.has(l.streamId) && l.data.stationId === 'CP-1')).toBe(true);
  });

  it('checks only CP-1 chains in /chain', async () => {
    const r = await get('/auditor/stations/CP-1/chain');
    expect(r.body).toMatchObject({ ok: true, events: await eventsOf('CP-1'), streams: 2 });
  });

  it('lists only CP-1 conflicts, gaps and keys', async () => {
    const conflicts = await get('/auditor/stations/CP-1/conflicts');
    expect(conflicts.body.items).toEqual([expect.objectContaining({ stationId: 'CP-1', counter: '2' })]);
    const gaps = await get('/auditor/stations/CP-1/gaps');
    expect(gaps.body).toEqual([expect.objectContaining({ stationId: 'CP-1', gaps: [] })]);
    expect((await get('/auditor/stations/CP-1/keys')).body.items).toHaveLength(1);
    expect((await get('/auditor/stations/CP-1/rejections')).body.items).toEqual([]);
  });

  it('counts only CP-1 duplicates, conflicts and rejections in the report', async () => {
    const r = await get('/auditor/stations/CP-1/report?format=json');
    expect(r.body.outcomes).toEqual({ valid: 1, conflicts: 1, rejected: {}, duplicates: 1 });
    expect(r.body.streams).toHaveLength(1);
    const other = await get('/auditor/stations/CP-1-2/report?format=json');
    expect(other.body.outcomes).toEqual({ valid: 2, conflicts: 2, rejected: { 'invalid-signature': 2 }, duplicates: 2 });
    expect(other.body.streams[0].missing).toEqual([{ from: '4', to: '4' }]);
  });
});
