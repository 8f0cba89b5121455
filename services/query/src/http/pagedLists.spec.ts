import { rebuildReadModels } from '../readmodel/rebuildReadModels';
import { RAW_EXCERPT_CHARS } from '../reads/recordViews';
import { SignedTestStation } from '../testing/SignedTestStation';
import { as, startTestApp, TEST_KEYS } from '../testing/testApp';

// Finding 7 (lists page, bounded in items and bytes; unattributed rejections readable) and finding 5
// (CSV cells from unsigned CSMS fields neutralised in the export).
const MiB = 1024 * 1024;
let t: Awaited<ReturnType<typeof startTestApp>>;

beforeAll(async () => {
  t = await startTestApp();
  const receipt = (id: string) => ({ messageId: id, receivedAt: '2025-06-01T12:00:00Z', source: 'test' });
  for (let i = 0; i < 7; i++) {
    await t.ledger.recordRejection({ stationId: 'CP-R', reason: 'message over the size limit', code: 'too-large', raw: `${i}`.repeat(MiB), receipt: receipt(`big-${i}`) });
  }
  await t.ledger.recordRejection({ stationId: '../etc passwd', reason: 'bad station id', code: 'bad-message', raw: '{"stationId":"../etc passwd"}', receipt: receipt('nameless') });
  const station = new SignedTestStation('CP-R');
  for (const validFrom of ['2025-01-01T00:00:00Z', '2025-02-01T00:00:00Z', '2025-03-01T00:00:00Z']) await t.ledger.registerKey({ stationId: 'CP-R', publicKey: station.publicKey, validFrom });
  const other = new SignedTestStation('CP-R');
  for (const s of [station, other]) for (const c of ['1', '2', '3']) {
    await t.ledger.recordDataset(s.dataset(c, { transactionId: `=HYPERLINK("http://evil.example","${c}")`, emspId: '@SUM(1+1)' }));
    await t.ledger.recordDataset(s.dataset(c, { variant: 'OTHER' }));
  }
  await rebuildReadModels(t.ledger, t.sessions);
});
afterAll(async () => t.app.close());

const get = (path: string) => t.http.get(path).set(as(TEST_KEYS.auditor));

async function all(path: string, query: Record<string, string | number>) {
  const items: Record<string, unknown>[] = [];
  const sizes: number[] = [];
  let after: string | undefined;
  do {
    const r = await get(path).query({ ...query, ...(after ? { after } : {}) });
    expect(r.status).toBe(200);
    sizes.push(Buffer.byteLength(r.text));
    items.push(...r.body.items);
    after = r.body.nextCursor ?? undefined;
  } while (after);
  return { items, sizes };
}

describe('paged lists', () => {
  it('bounds a page of rejections in bytes, at least one item a page, and reads everything through nextCursor', async () => {
    const { items, sizes } = await all('/auditor/stations/CP-R/rejections', { limit: 500 });
    expect(items.map((i) => i.receipt)).toEqual([...Array(7).keys()].map((i) => expect.objectContaining({ messageId: `big-${i}` })));
    expect(items.every((i) => typeof i.raw === 'string' && (i.raw as string).length === MiB)).toBe(true);
    expect(sizes.length).toBeGreaterThan(1);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(4 * MiB + 1024);
  });

  it('gives an excerpt, the size and the SHA-256 instead of the raw text with includeRaw=false', async () => {
    const r = await get('/auditor/stations/CP-R/rejections').query({ includeRaw: 'false' });
    expect(r.body.items).toHaveLength(7);
    expect(r.body.nextCursor).toBeNull();
    expect(r.body.items[0]).toEqual(expect.objectContaining({ rawExcerpt: '0'.repeat(RAW_EXCERPT_CHARS), rawBytes: MiB, rawSha256: expect.stringMatching(/^[0-9a-f]{64}$/), code: 'too-large' }));
    expect(r.body.items[0].raw).toBeUndefined();
    expect(Buffer.byteLength(r.text)).toBeLessThan(16 * 1024);
  });

  it('pages keys and conflicts (across key streams) by limit, without repeats', async () => {
    const keys = await all('/auditor/stations/CP-R/keys', { limit: 2 });
    expect(keys.sizes).toHaveLength(2);
    expect(keys.items.map((k) => k.validFrom)).toEqual(['2025-01-01T00:00:00Z', '2025-02-01T00:00:00Z', '2025-03-01T00:00:00Z']);
    const conflicts = await all('/auditor/stations/CP-R/conflicts', { limit: 4 });
    expect(conflicts.items).toHaveLength(6);
    expect(new Set(conflicts.items.map((c) => `${c.streamId}#${c.counter}`)).size).toBe(6);
  });

  it('refuses page sizes over 500, forged cursors and cursors of another list', async () => {
    expect((await get('/auditor/stations/CP-R/keys').query({ limit: 501 })).status).toBe(400);
    for (const limit of ['0x10', '1e2', '+5']) expect({ limit, status: (await get(`/auditor/stations/CP-R/keys?limit=${encodeURIComponent(limit)}`)).status }).toEqual({ limit, status: 400 });
    const forged = await get('/auditor/stations/CP-R/keys').query({ after: 'Zm9yZ2Vk' });
    expect(forged.status).toBe(400);
    expect(forged.body.message).toMatch(/cursor/);
    const first = await get('/auditor/stations/CP-R/keys').query({ limit: 1 });
    const foreign = await get('/auditor/stations/CP-R/rejections').query({ after: first.body.nextCursor });
    expect(foreign.status).toBe(400);
    expect(foreign.body.message).toMatch(/another list/);
  });

  it('lets auditors, and only them, read rejections that named no valid station id', async () => {
    const r = await get('/auditor/unattributed-rejections');
    expect(r.status).toBe(200);
    expect(r.body.items).toEqual([expect.objectContaining({ stationId: '../etc passwd', code: 'bad-message', raw: '{"stationId":"../etc passwd"}' })]);
    expect((await t.http.get('/auditor/unattributed-rejections').set(as(TEST_KEYS.emsp))).status).toBe(403);
  });
});

describe('CSV export of unsigned CSMS fields', () => {
  it('neutralises formula-looking transaction and eMSP ids in the datasets CSV', async () => {
    const csv = await get('/auditor/stations/CP-R/datasets').query({ format: 'csv' }).buffer(true);
    expect(csv.status).toBe(200);
    const rows = csv.text.trim().split('\n').slice(1);
    expect(rows).toHaveLength(6);
    for (const row of rows) {
      expect(row).toMatch(/,"'=HYPERLINK\(""http:\/\/evil\.example"",""\d""\)","'@SUM\(1\+1\)",/);
      expect(row).not.toMatch(/(^|,)[=+@-]/);
    }
  });
});
