import { createHash } from 'node:crypto';
import { Ledger, SqliteEventStore, type RecordedEvent } from '@metrology-ledger/ledger';
import { BackOff } from '../infrastructure/BackOff';
import { MessageIntake } from '../infrastructure/MessageIntake';
import { RawMessageDeserializer } from '../infrastructure/RawMessageDeserializer';
import type { TransportMessage } from '../infrastructure/TransportMessage';
import { IngestPipeline, MAX_JSON_DEPTH } from './IngestPipeline';

function freshLedger(): Ledger {
  return new Ledger(new SqliteEventStore(':memory:'));
}

async function eventsOf(ledger: Ledger, streamId: string): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const e of ledger.eventsOf(streamId)) out.push(e);
  return out;
}

type RejectedData = { stationId: string; code: string; reason: string; raw: string; rawTruncated?: boolean; rawBytes?: number; rawSha256?: string; receipt: { messageId: string; messageSha256?: string } };
const dataOf = (e: RecordedEvent) => e.event.data as RejectedData;
const sha256 = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;
const fault = (messageId: string) =>
  JSON.stringify({ kind: 'station-fault', messageId, stationId: 'CP-DEEP', faultId: 'urn:fault:koala:1', severity: 'Minor', hostMessage: 'fan', state: 'raised', at: '2025-01-01T07:00:00Z' });
const quiet = { log: jest.fn(), warn: jest.fn(), error: jest.fn(), debug: jest.fn() };

describe('IngestPipeline: deeply nested JSON', () => {
  it.each([
    ['ocmf-dataset', { connector: 1, ocmf: 'x' }],
    ['metrology-log-entry', { entry: { signedText: 'x', signature: 'y', algorithm: 'z' } }],
    ['station-fault', { faultId: 'f', severity: 'Minor', hostMessage: 'h', state: 'raised', at: '2025-01-01T00:00:00Z' }],
    ['ocpp-frame', { identity: 'CP-DEEP', ocppVersion: '1.6', frame: '[]', frameSha256: 'x' }],
  ])('rejects a %s message nested 2000 levels deep as too-deep, and records the next message', async (kind, fields) => {
    const ledger = freshLedger();
    const pipeline = new IngestPipeline(ledger);
    const deep = `${JSON.stringify({ kind, messageId: 'd', stationId: 'CP-DEEP', ...fields }).slice(0, -1)},"extra":${nested(2000)}}`;
    const out = await pipeline.process(Buffer.from(deep), 'test', 'CP-DEEP');
    expect(out).toMatchObject({ kind: 'rejected', code: 'too-deep', reason: expect.stringContaining(`${MAX_JSON_DEPTH} levels`) });
    const [e] = await eventsOf(ledger, ledger.stationStream('CP-DEEP', 'rejections'));
    expect(dataOf(e)).toMatchObject({ code: 'too-deep', raw: deep, stationId: 'CP-DEEP' });
    expect(await pipeline.process(fault('f-after'), 'test', 'CP-DEEP')).toMatchObject({ kind: 'recorded', events: [expect.objectContaining({ type: 'StationFaultReported' })] });
  });

  it('rejects an OCPP frame whose frame text nests too deep, before reading it', async () => {
    const ledger = freshLedger();
    const frame = `[2,"m1","MeterValues",{"x":${nested(100)}}]`;
    const record = JSON.stringify({ kind: 'ocpp-frame', messageId: 'CP-DEEP:m1', identity: 'CP-DEEP', ocppVersion: '1.6', securityProfile: 2, edgeInstance: 'edge-1', ocppMessageId: 'm1', messageType: 'CALL', action: 'MeterValues', frame, frameSha256: sha256(frame), receivedAt: '2025-01-01T00:00:00Z' });
    const out = await new IngestPipeline(ledger).process(record, 'test');
    expect(out).toMatchObject({ kind: 'rejected', stationId: 'CP-DEEP' });
    expect(out).toMatchObject({ code: 'too-deep' });
  });

  it('reads a message nested up to the limit as usual', async () => {
    const ledger = freshLedger();
    const ok = `${fault('f-ok').slice(0, -1)},"extra":${nested(MAX_JSON_DEPTH - 1)}}`;
    expect(await new IngestPipeline(ledger).process(ok, 'test')).toMatchObject({ kind: 'recorded' });
  });
});

describe('IngestPipeline: failures that are not the store', () => {
  it('records a stage throwing unexpectedly as an internal-error rejection, keeping the message, and goes on', async () => {
    const ledger = freshLedger();
    jest.spyOn(ledger.keys, 'keysOf').mockImplementationOnce(() => {
      throw new RangeError('Maximum call stack size exceeded');
    });
    const pipeline = new IngestPipeline(ledger);
    const msg = JSON.stringify({ kind: 'ocmf-dataset', messageId: 'boom', stationId: 'CP-DEEP', connector: 1, ocmf: 'OCMF|{}|{}' });
    const out = await pipeline.process(msg, 'test');
    expect(out).toMatchObject({ kind: 'rejected', code: 'internal-error', messageId: 'boom', stationId: 'CP-DEEP', reason: expect.stringContaining('RangeError: Maximum call stack size exceeded') });
    const [e] = await eventsOf(ledger, ledger.stationStream('CP-DEEP', 'rejections'));
    expect(dataOf(e)).toMatchObject({ code: 'internal-error', raw: msg });
    expect((await pipeline.process(msg, 'redelivery')).events).toEqual([]);
  });

  it('throws the store failure itself (to be retried), and only that', async () => {
    const ledger = freshLedger();
    const down = new Error('connect ECONNREFUSED 127.0.0.1:5432');
    jest.spyOn(ledger, 'recordFault').mockRejectedValueOnce(down);
    const pipeline = new IngestPipeline(ledger);
    await expect(pipeline.process(fault('f1'), 'test')).rejects.toBe(down);
    expect(await pipeline.process(fault('f1'), 'test')).toMatchObject({ kind: 'recorded' });
  });

  it('through MessageIntake: an unexpected failure is acknowledged as a rejection, never retried', async () => {
    const ledger = freshLedger();
    jest.spyOn(ledger.keys, 'keysOf').mockImplementation(() => {
      throw new TypeError('a bug');
    });
    const onRetry = jest.fn();
    const acknowledged: string[] = [];
    const intake = new MessageIntake(new IngestPipeline(ledger), { retry: new BackOff({ initialMs: 1, maxMs: 1 }), onRetry, logger: quiet });
    const msg = JSON.stringify({ kind: 'ocmf-dataset', messageId: 'bug', stationId: 'CP-DEEP', connector: 1, ocmf: 'x' });
    await intake.accept({ message: { value: Buffer.from(msg), topic: 't' }, source: 's', recorded: async () => void acknowledged.push('bug') });
    await intake.drain();
    expect(onRetry).not.toHaveBeenCalled();
    expect(acknowledged).toEqual(['bug']);
    expect(quiet.log).toHaveBeenCalledWith(expect.objectContaining({ code: 'internal-error' }));
  });
});

describe('IngestPipeline: bytes as received', () => {
  const kafka = (value: Buffer, key = 'CP-1') =>
    new RawMessageDeserializer().deserialize({ value, key: Buffer.from(key), topic: 'ocmf-datasets', partition: 0, offset: '1' }).data as TransportMessage;

  it('hands the Kafka value over as its bytes, undecoded', () => {
    const value = Buffer.from([0x7b, 0xfe, 0x7d]);
    expect(kafka(value)).toMatchObject({ value, key: 'CP-1' });
  });

  it('rejects bytes that are not UTF-8 as not-utf8: three distinct messages stay three, each with the hash of its bytes and a base64 excerpt', async () => {
    const ledger = freshLedger();
    const pipeline = new IngestPipeline(ledger);
    const sent = [[0x7b, 0xfe, 0x7d], [0x7b, 0xff, 0x7d], [0x7b, 0xc3, 0x7d]].map((b) => Buffer.from(b));
    for (const b of sent) {
      const out = await pipeline.process(kafka(b).value, 'test', 'CP-1');
      expect(out).toMatchObject({ kind: 'rejected', code: 'not-utf8', messageId: `sha256:${sha256(b)}`, events: [expect.objectContaining({ type: 'DatasetRejected' })] });
    }
    const events = (await eventsOf(ledger, ledger.stationStream('CP-1', 'rejections'))).map(dataOf);
    expect(events).toHaveLength(3);
    expect(events.map((d) => d.receipt.messageSha256)).toEqual(sent.map((b) => sha256(b)));
    expect(events.map((d) => d.raw)).toEqual(sent.map((b) => b.toString('base64')));
    for (const [i, d] of events.entries()) expect(d).toMatchObject({ code: 'not-utf8', rawTruncated: true, rawBytes: 3, rawSha256: sha256(sent[i]) });
    for (const b of sent) expect((await pipeline.process(b, 'redelivery', 'CP-1')).events).toEqual([]);
  });

  it('measures the size limit in bytes as received: 1,048,560 bytes of 0xff is not-utf8, 1,048,560 bytes, a 4 KiB base64 excerpt', async () => {
    const ledger = freshLedger();
    const b = Buffer.alloc(1_048_560, 0xff);
    expect(await new IngestPipeline(ledger).process(b, 'test', 'CP-1')).toMatchObject({ kind: 'rejected', code: 'not-utf8' });
    const [e] = await eventsOf(ledger, ledger.stationStream('CP-1', 'rejections'));
    expect(dataOf(e)).toMatchObject({ rawBytes: 1_048_560, rawSha256: sha256(b), raw: b.subarray(0, 4096).toString('base64') });
  });

  it('rejects an oversize message that is not UTF-8 as too-large, its size in bytes, the excerpt in base64', async () => {
    const ledger = freshLedger();
    const b = Buffer.alloc(1_048_577, 0xff);
    const out = await new IngestPipeline(ledger).process(b, 'test', 'CP-1');
    expect(out).toMatchObject({ kind: 'rejected', code: 'too-large', reason: expect.stringContaining('base64') });
    const [e] = await eventsOf(ledger, ledger.stationStream('CP-1', 'rejections'));
    expect(dataOf(e)).toMatchObject({ rawBytes: 1_048_577, rawSha256: sha256(b), raw: b.subarray(0, 4096).toString('base64') });
  });

  it('treats text (the embedded transport) and its UTF-8 bytes (Kafka) as the same message', async () => {
    const ledger = freshLedger();
    const pipeline = new IngestPipeline(ledger);
    const text = fault('f-€');
    expect(await pipeline.process(text, 'embedded')).toMatchObject({ kind: 'recorded', events: [expect.objectContaining({ type: 'StationFaultReported' })] });
    expect((await pipeline.process(Buffer.from(text, 'utf8'), 'kafka')).events).toEqual([]);
  });
});

describe('IngestPipeline: a message that names no station', () => {
  it('files a rejection without station id or key in the unattributed stream, nothing under "unknown"', async () => {
    const ledger = freshLedger();
    const raw = '{"kind":"station-fault","messageId":"x"}';
    expect(await new IngestPipeline(ledger).process(raw, 'test')).toMatchObject({ kind: 'rejected', code: 'bad-message', stationId: '' });
    const [e] = await eventsOf(ledger, ledger.unattributedRejectionsStream());
    expect(dataOf(e)).toMatchObject({ raw, stationId: '' });
    expect(await eventsOf(ledger, ledger.stationStream('unknown', 'rejections'))).toEqual([]);
  });
});
