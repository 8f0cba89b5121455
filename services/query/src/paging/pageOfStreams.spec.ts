import { Ledger, SqliteEventStore, type RecordedEvent } from '@metrology-ledger/ledger';
import { InvalidCursor } from './InvalidCursor';
import { pageOfStreams, type PageBounds } from './pageOfStreams';

const receipt = (id: string) => ({ messageId: id, receivedAt: '2025-01-01T00:00:00Z', source: 'test' });
const codeOf = (e: RecordedEvent) => (e.event.type === 'DatasetRejected' ? e.event.data.code : undefined);
const bounds = (b: Partial<PageBounds>): PageBounds => ({ limit: 100, maxBytes: 1e9, maxScanned: 1e9, chunk: 3, ...b });

let ledger: Ledger;
let streams: string[];

beforeAll(async () => {
  ledger = new Ledger(new SqliteEventStore(':memory:'));
  for (const [station, n] of [['CP-A', 5], ['CP-B', 0], ['CP-C', 4]] as const) {
    for (let i = 0; i < n; i++) await ledger.recordRejection({ stationId: station, reason: 'r', code: `${station}-${i}`, raw: i % 2 ? 'x'.repeat(1000) : 'y', receipt: receipt(`${station}-${i}`) });
  }
  streams = ['CP-A', 'CP-B', 'CP-C'].map((s) => ledger.stationStream(s, 'rejections'));
});

async function walk(b: PageBounds, select: (e: RecordedEvent) => string | undefined = codeOf) {
  const pages: string[][] = [];
  let after: string | undefined;
  do {
    const page = await pageOfStreams(ledger, streams, after, b, select);
    pages.push(page.items);
    after = page.nextCursor ?? undefined;
  } while (after && pages.length < 100);
  return pages;
}

describe('pageOfStreams', () => {
  const everything = ['CP-A-0', 'CP-A-1', 'CP-A-2', 'CP-A-3', 'CP-A-4', 'CP-C-0', 'CP-C-1', 'CP-C-2', 'CP-C-3'];

  it('reads every stream in order, across chunks and empty streams, page by page without repeats', async () => {
    const pages = await walk(bounds({ limit: 4 }));
    expect(pages).toEqual([everything.slice(0, 4), everything.slice(4, 8), everything.slice(8)]);
  });

  it('ends with a null cursor when the last item fills the page exactly', async () => {
    const pages = await walk(bounds({ limit: 9 }));
    expect(pages).toEqual([everything]);
  });

  it('stops a page before it would pass maxBytes, one item at least', async () => {
    const big = (e: RecordedEvent) => (e.event.type === 'DatasetRejected' ? e.event.data.raw : undefined);
    const pages = await walk(bounds({ maxBytes: 1500 }), big);
    expect(pages.flat()).toHaveLength(9);
    for (const p of pages) expect(p.length === 1 || Buffer.byteLength(JSON.stringify(p)) <= 1500).toBe(true);
  });

  it('stops after maxScanned events without a match and goes on from there', async () => {
    const onlyC = (e: RecordedEvent) => (codeOf(e)?.startsWith('CP-C') ? codeOf(e) : undefined);
    const pages = await walk(bounds({ maxScanned: 2 }), onlyC);
    expect(pages.slice(0, 2)).toEqual([[], []]);
    expect(pages.flat()).toEqual(everything.slice(5));
  });

  it('refuses a cursor naming a stream outside the list', async () => {
    const first = await pageOfStreams(ledger, streams, undefined, bounds({ limit: 1 }), codeOf);
    await expect(pageOfStreams(ledger, streams.slice(1), first.nextCursor!, bounds({}), codeOf)).rejects.toBeInstanceOf(InvalidCursor);
  });
});
