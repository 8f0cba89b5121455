import { SqliteEventStore } from './adapters/SqliteEventStore';
import type { VerifiedDataset } from './domain/decideDataset';
import { StreamId } from './domain/StreamId';
import { Ledger } from './Ledger';

const ds = (counter: number, messageId = `m${counter}`, bytes = 'a'): VerifiedDataset => ({
  stationId: 'CP-1',
  publicKey: 'abcd',
  paginationContext: 'T',
  counter: String(counter),
  pagination: `T${counter}`,
  ocmf: `OCMF|{"PG":"T${counter}","b":"${bytes}"}|{}`,
  payloadSha256: `${counter}${bytes}`,
  verification: { verdict: 'valid', reason: 'ok', verifier: 'test', verifiedAt: 't' },
  receipt: { messageId, receivedAt: 't', source: 'test' },
});

describe('Ledger', () => {
  it('records datasets, reports gaps as ranges, and is idempotent by message id', async () => {
    const ledger = new Ledger(new SqliteEventStore(':memory:'));
    for (const c of [1, 2, 5, 9, 3]) await ledger.recordDataset(ds(c));
    expect(await ledger.recordDataset(ds(5))).toEqual([]);
    const [g] = await ledger.gaps('CP-1');
    expect(g).toMatchObject({ highestCounter: '9', gaps: [{ from: '4', to: '4' }, { from: '6', to: '8' }] });
    const types = (await ledger.events(StreamId.datasets('CP-1', 'abcd', 'T'))).map((e) => e.type);
    expect(types.filter((t) => t === 'DatasetRecorded')).toHaveLength(5);
    expect(types).toContain('GapClosed');
  });

  it('detects an edit of the store with verify-chain and names the first broken event', async () => {
    const store = new SqliteEventStore(':memory:');
    const ledger = new Ledger(store);
    for (const c of [1, 2, 3]) await ledger.recordDataset(ds(c));
    expect((await ledger.verifyChains()).broken).toEqual([]);
    const stream = StreamId.datasets('CP-1', 'abcd', 'T');
    const [second] = await store.read(stream, 1, 1);
    store.tamper(stream, 1, second.dataText.replace('"b\\":\\"a', '"b\\":\\"z'));
    const report = await ledger.verifyChains();
    expect(report.broken).toEqual([expect.objectContaining({ streamId: stream, ok: false, revision: 1 })]);
  });

  it('keeps two writers of one stream from interleaving: every dataset is recorded once', async () => {
    const store = new SqliteEventStore(':memory:');
    const a = new Ledger(store);
    const b = new Ledger(store);
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).recordDataset(ds(i + 1))));
    // Each writer's cache is stale for the other's appends; the store's revision check makes them re-read.
    await Promise.all([a.recordDataset(ds(21, 'x21')), b.recordDataset(ds(22, 'x22'))]);
    const events = await new Ledger(store).events(StreamId.datasets('CP-1', 'abcd', 'T'));
    const recorded = events.filter((e) => e.type === 'DatasetRecorded').map((e) => (e.data as { counter: string }).counter);
    expect(recorded.sort((x, y) => Number(x) - Number(y))).toEqual(Array.from({ length: 22 }, (_, i) => String(i + 1)));
    expect((await new Ledger(store).verifyChains()).broken).toEqual([]);
  });

  it('registers keys with validity and loads them back', async () => {
    const store = new SqliteEventStore(':memory:');
    const ledger = new Ledger(store);
    await ledger.registerKey({ stationId: 'CP-1', publicKey: 'k1', validFrom: '2025-01-01T00:00:00Z', validTo: '2025-02-01T00:00:00Z' });
    await ledger.registerKey({ stationId: 'CP-1', publicKey: 'k2', validFrom: '2025-02-01T00:00:00Z' });
    expect(await ledger.registerKey({ stationId: 'CP-1', publicKey: 'k2', validFrom: '2025-02-01T00:00:00Z' })).toBe(false);
    const again = new Ledger(store);
    await again.loadKeys();
    expect(again.keys.keysOf('CP-1').map((k) => k.publicKey)).toEqual(['k2', 'k1']);
  });
});
