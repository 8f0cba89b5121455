import { SqliteEventStore } from './adapters/SqliteEventStore';
import { datasetStream, type VerifiedDataset } from './domain/datasetStream';
import { entriesOf, StreamAppender } from './StreamAppender';

const ds = (stream: string, counter: number, messageId = `${stream}-m${counter}`): VerifiedDataset => ({
  stationId: 'CP-1',
  publicKey: stream,
  paginationContext: 'T',
  counter: String(counter),
  pagination: `T${counter}`,
  ocmf: `OCMF|{"PG":"T${counter}"}|{}`,
  payloadSha256: `${stream}${counter}`,
  verification: { verdict: 'valid', reason: 'ok', verifier: 'test', verifiedAt: 't' },
  receipt: { messageId, receivedAt: 't', source: 'test' },
});

describe('StreamAppender cache', () => {
  it('counts the entries of a state: the sizes of its Maps and Sets', () => {
    expect(entriesOf({ held: new Map([[1n, ['a']]]), processed: new Map([['m', new Set(['k'])], ['n', new Set()]]), highest: 1n })).toBe(3);
    expect(entriesOf(undefined)).toBe(0);
  });

  it('holds no more entries than its budget, dropping the least recently used streams, and decides the same after a drop', async () => {
    const appender = new StreamAppender(new SqliteEventStore(':memory:'), () => 't', 20);
    for (let c = 1; c <= 5; c++) for (const stream of ['a', 'b', 'c']) await appender.append(`datasets/${stream}`, datasetStream, ds(stream, c));
    const { streams, entries } = appender.cacheSize();
    expect(entries).toBeLessThanOrEqual(20);
    expect(streams).toBeLessThan(3);
    // Stream a was dropped: a resend of counter 3 under a new id is still a duplicate, counter 7 opens a gap.
    expect((await appender.append('datasets/a', datasetStream, ds('a', 3, 'again'))).map((e) => e.type)).toEqual(['DuplicateReceived']);
    expect((await appender.append('datasets/a', datasetStream, ds('a', 7))).map((e) => e.type)).toEqual(['GapOpened', 'DatasetRecorded']);
  });

  it('keeps the stream just written even when it alone is over the budget', async () => {
    const appender = new StreamAppender(new SqliteEventStore(':memory:'), () => 't', 4);
    for (let c = 1; c <= 5; c++) await appender.append('datasets/big', datasetStream, ds('big', c));
    expect(appender.cacheSize()).toEqual({ streams: 1, entries: 10 });
  });
});
