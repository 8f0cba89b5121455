import { SqliteEventStore } from './adapters/SqliteEventStore';
import type { VerifiedDataset } from './domain/datasetStream';
import { StreamId } from './domain/StreamId';
import { Ledger, type RecordedEvent } from './Ledger';

const ds = (counter: number | string, messageId = `m${counter}`, bytes = 'a', stationId = 'CP-1'): VerifiedDataset => ({
  stationId,
  publicKey: 'abcd',
  paginationContext: 'T',
  counter: String(counter),
  pagination: `T${counter}`,
  ocmf: `OCMF|{"PG":"T${counter}","b":"${bytes}"}|{}`,
  payloadSha256: `${counter}${bytes}`,
  verification: { verdict: 'valid', reason: 'ok', verifier: 'test', verifiedAt: 't' },
  receipt: { messageId, receivedAt: 't', source: 'test' },
});

async function all(it: AsyncIterable<RecordedEvent>): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
}

describe('Ledger', () => {
  it('records datasets, reports gaps as ranges, and is idempotent by message id and content', async () => {
    const ledger = new Ledger(new SqliteEventStore(':memory:'));
    for (const c of [1, 2, 5, 9, 3]) await ledger.recordDataset(ds(c));
    expect(await ledger.recordDataset(ds(5))).toEqual([]);
    const [g] = await ledger.gaps('CP-1');
    expect(g).toMatchObject({ highestCounter: '9', gaps: [{ from: '4', to: '4' }, { from: '6', to: '8' }], missing: '4' });
    const types = (await all(ledger.eventsOf(StreamId.datasets('CP-1', 'abcd', 'T')))).map((e) => e.event.type);
    expect(types.filter((t) => t === 'DatasetRecorded')).toHaveLength(5);
    expect(types).toContain('GapClosed');
  });

  it('answers gaps for a 61-digit counter at once, as one range', async () => {
    const ledger = new Ledger(new SqliteEventStore(':memory:'));
    const huge = `9${'0'.repeat(60)}`;
    await ledger.recordDataset(ds(1));
    await ledger.recordDataset(ds(huge));
    const [g] = await ledger.gaps('CP-1');
    expect(g.gaps).toEqual([{ from: '2', to: (BigInt(huge) - 1n).toString() }]);
    expect(g.missing).toBe((BigInt(huge) - 2n).toString());
  });

  it('keeps stations that share an id prefix apart in every read', async () => {
    const ledger = new Ledger(new SqliteEventStore(':memory:'));
    await ledger.recordDataset(ds(1, 'a1', 'a', 'CP-1'));
    await ledger.recordDataset(ds(3, 'b3', 'a', 'CP-1-2'));
    await ledger.recordRejection({ stationId: 'CP-10', reason: 'r', code: 'bad-message', raw: 'x', receipt: { messageId: 'r1', receivedAt: 't', source: 's' } });
    expect(await ledger.datasetStreams('CP-1')).toEqual([StreamId.datasets('CP-1', 'abcd', 'T')]);
    expect((await ledger.gaps('CP-1')).map((g) => g.stationId)).toEqual(['CP-1']);
    const chains = await ledger.verifyStationChains('CP-1');
    expect(chains).toMatchObject({ streams: 1, events: 1, broken: [] });
    expect((await all(ledger.eventsOf(ledger.stationStream('CP-1', 'rejections'))))).toEqual([]);
    expect(await ledger.stationsWith('datasets')).toEqual(['CP-1', 'CP-1-2']);
    expect(await ledger.stationsWith('rejections')).toEqual(['CP-10']);
  });

  it('puts a rejection whose station id breaks the rule in the unattributed stream', async () => {
    const ledger = new Ledger(new SqliteEventStore(':memory:'));
    await ledger.recordRejection({ stationId: 'CP-1/../x\n', reason: 'r', code: 'bad-message', raw: 'x', receipt: { messageId: 'r1', receivedAt: 't', source: 's' } });
    const [e] = await all(ledger.eventsOf(ledger.unattributedRejectionsStream()));
    expect(e.event).toMatchObject({ type: 'DatasetRejected', data: { stationId: 'CP-1/../x\n' } });
  });

  it('refuses a bad commissioning record and stores nothing; the path names the station', async () => {
    const ledger = new Ledger(new SqliteEventStore(':memory:'));
    await expect(ledger.recordCommissioning('CP-X9', { commissionedAt: 'x' })).rejects.toMatchObject({ rule: 'iso-8601' });
    const sneaky = { commissionedAt: '2025-01-01T00:00:00Z', stationId: 'CP-B1' } as { commissionedAt: string };
    await ledger.recordCommissioning('CP-X9', sneaky);
    expect(await ledger.stationsWith('station')).toEqual(['CP-X9']);
    const [e] = await all(ledger.eventsOf(ledger.stationStream('CP-X9', 'station')));
    expect(e.event.data).toMatchObject({ stationId: 'CP-X9' });
  });

  it("files a station's OCPP reports in its history stream, before the transactions in export order, and marks a firmware change after a restart", async () => {
    const store = new SqliteEventStore(':memory:');
    const boot = (n: number, firmwareVersion: string) => ({
      type: 'StationBootReported' as const,
      data: { stationId: 'CP-1', ocppVersion: '1.6' as const, action: 'BootNotification', vendor: 'V', model: 'CP800', firmwareVersion, receipt: { messageId: `CP-1:b${n}`, receivedAt: 't', source: 's', messageSha256: `${n}`.repeat(64) } },
    });
    await new Ledger(store).recordStationReport(boot(1, '1.0.0'));
    const ledger = new Ledger(store);
    const [changed] = await ledger.recordStationReport(boot(2, '1.1.0'));
    expect(changed.data).toMatchObject({ firmwareVersion: '1.1.0', previousFirmwareVersion: '1.0.0' });
    expect(await ledger.recordStationReport(boot(2, '1.1.0'))).toEqual([]);
    expect(await ledger.stationsWith('history')).toEqual(['CP-1']);
    expect((await ledger.stationStreams('CP-1')).slice(-2)).toEqual([ledger.stationStream('CP-1', 'history'), ledger.stationStream('CP-1', 'transactions')]);
    expect(await ledger.verifyStationChains('CP-1')).toMatchObject({ events: 2, broken: [] });
  });

  it('pages a stream', async () => {
    const ledger = new Ledger(new SqliteEventStore(':memory:'));
    for (let i = 1; i <= 5; i++) await ledger.recordDataset(ds(i));
    const stream = StreamId.datasets('CP-1', 'abcd', 'T');
    const first = await ledger.read(stream, 0, 2);
    expect(first.events.map((e) => e.revision)).toEqual([0, 1]);
    expect(first.next).toBe(2);
    const last = await ledger.read(stream, 4, 2);
    expect(last).toMatchObject({ next: null });
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
    const events = await all(new Ledger(store).eventsOf(StreamId.datasets('CP-1', 'abcd', 'T')));
    const recorded = events.flatMap((e) => (e.event.type === 'DatasetRecorded' ? [e.event.data.counter] : []));
    expect(recorded.sort((x, y) => Number(x) - Number(y))).toEqual(Array.from({ length: 22 }, (_, i) => String(i + 1)));
    expect((await new Ledger(store).verifyChains()).broken).toEqual([]);
  });

  it('registers keys with validity and loads them back', async () => {
    const store = new SqliteEventStore(':memory:');
    const ledger = new Ledger(store);
    await ledger.registerKey({ stationId: 'CP-1', publicKey: 'a1', validFrom: '2025-01-01T00:00:00Z', validTo: '2025-02-01T00:00:00Z' });
    await ledger.registerKey({ stationId: 'CP-1', publicKey: 'a2', validFrom: '2025-02-01T00:00:00Z' });
    expect(await ledger.registerKey({ stationId: 'CP-1', publicKey: 'a2', validFrom: '2025-02-01T00:00:00Z' })).toBe(false);
    const again = new Ledger(store);
    await again.loadKeys();
    expect(again.keys.keysOf('CP-1').map((k) => k.publicKey)).toEqual(['a2', 'a1']);
  });
});

describe('Ledger reads of an edited store', () => {
  it('yields a row that is not JSON as an UnreadableEvent, reads on, and still appends after it', async () => {
    const store = new SqliteEventStore(':memory:');
    const ledger = new Ledger(store);
    await ledger.recordDataset(ds(1));
    await ledger.recordDataset(ds(2));
    const stream = StreamId.datasets('CP-1', 'abcd', 'T');
    store.tamper(stream, 0, '{not json');
    const events = await all(new Ledger(store).eventsOf(stream));
    expect(events.map((e) => e.event.type)).toEqual(['UnreadableEvent', 'DatasetRecorded']);
    expect(events[0].event.data).toMatchObject({ storedType: 'DatasetRecorded', reason: expect.stringMatching(/not JSON/) });
    expect(await new Ledger(store).recordDataset(ds(3))).toHaveLength(1);
    expect((await new Ledger(store).verifyChains()).broken).toEqual([expect.objectContaining({ streamId: stream, revision: 0 })]);
  });
});

describe('Ledger.registerKeys', () => {
  it('registers every key of a registry once and counts the new registrations', async () => {
    const ledger = new Ledger(new SqliteEventStore(':memory:'));
    const registry = [
      { stationId: 'CP-1', keys: [{ publicKey: 'a1', validFrom: '2025-01-01T00:00:00Z', validTo: '2025-02-01T00:00:00Z' }, { publicKey: 'a2', validFrom: '2025-02-01T00:00:00Z' }] },
      { stationId: 'CP-2', keys: [{ publicKey: 'b1', validFrom: '2025-01-01T00:00:00Z' }] },
    ];
    expect(await ledger.registerKeys(registry)).toBe(3);
    expect(await ledger.registerKeys(registry)).toBe(0);
    expect(ledger.keys.keysOf('CP-1').map((k) => k.publicKey)).toEqual(['a2', 'a1']);
  });
});

describe('Ledger.seqNoGaps against the pagination counters', () => {
  const fact = (seqNo: string, messageId: string) => ({
    type: 'OcppTransactionEventRecorded' as const,
    data: { stationId: 'CP-1', transactionId: 'tx-1', eventType: 'Updated', seqNo, triggerReason: 'MeterValuePeriodic', timestamp: '2025-01-01T10:00:00Z', receipt: { messageId, receivedAt: 't', source: 'test', messageSha256: messageId.padEnd(64, '0') } },
  });

  it('says for each missing seqNo whether the readings it would have carried are missing too', async () => {
    const ledger = new Ledger(new SqliteEventStore(':memory:'));
    // seqNo 0 (no reading), 1 (counter 10), [2 lost: counter 11], 3 (counter 12), [4 lost: no reading], 5 (counter 13)
    for (const [seqNo, id] of [['0', 'f0'], ['1', 'f1'], ['3', 'f3'], ['5', 'f5']]) await ledger.recordTransactionFact(fact(seqNo, id));
    for (const [counter, id] of [[10, 'f1#0'], [12, 'f3#0'], [13, 'f5#0']] as const) await ledger.recordDataset(ds(counter, id));
    await ledger.recordDataset(ds(1, 'csms-1')); // an earlier dataset of the key, so counters 2-9 are a gap of their own
    const [station] = await ledger.seqNoGaps('CP-1');
    expect(station.transactions).toHaveLength(1);
    expect(station.transactions[0]).toMatchObject({
      transactionId: 'tx-1',
      gaps: [{ from: '2', to: '2' }, { from: '4', to: '4' }],
      evidence: [
        { from: '2', to: '2', verdict: 'readings-lost', publicKey: 'abcd', missingCounters: [{ from: '11', to: '11' }] },
        { from: '4', to: '4', verdict: 'no-reading-lost' },
      ],
    });
  });
});
