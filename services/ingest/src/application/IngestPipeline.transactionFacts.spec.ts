import { createHash, randomUUID } from 'node:crypto';
import { Ledger, SqliteEventStore } from '@metrology-ledger/ledger';
import { IngestPipeline } from './IngestPipeline';

const STATION = 'CP-000002';
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** An `ocpp-frame` record as services/ocpp-edge writes it: a CALL, or the CALLRESULT of a 1.6 StartTransaction. */
function record(ocppVersion: '1.6' | '2.0.1', action: string, payload: unknown, o: { ocppMessageId?: string; result?: boolean; receivedAt?: string } = {}): string {
  const ocppMessageId = o.ocppMessageId ?? randomUUID();
  const frame = JSON.stringify(o.result ? [3, ocppMessageId, payload] : [2, ocppMessageId, action, payload]);
  return JSON.stringify({
    kind: 'ocpp-frame',
    messageId: `${STATION}:${ocppMessageId}${o.result ? ':result' : ''}`,
    identity: STATION,
    ocppVersion,
    securityProfile: 2,
    receivedAt: o.receivedAt ?? '2025-06-03T08:50:00.000Z',
    edgeInstance: 'edge-a',
    messageType: o.result ? 'CALLRESULT' : 'CALL',
    action,
    ocppMessageId,
    frame,
    frameSha256: sha256(frame),
  });
}

const start = { connectorId: 1, idTag: '04A1B2C3', meterStart: 1200, timestamp: '2025-06-03T08:00:00Z' };
const txEvent = (seqNo: number, eventType = 'Updated') => ({
  eventType,
  timestamp: '2025-06-03T08:10:00Z',
  triggerReason: 'MeterValuePeriodic',
  seqNo,
  transactionInfo: { transactionId: 'tx-9' },
  idToken: { idToken: 'DE-ABC-C12345678-X', type: 'eMAID' },
});

function setUp() {
  const ledger = new Ledger(new SqliteEventStore(':memory:'));
  return { ledger, pipeline: new IngestPipeline(ledger) };
}

async function transactionEvents(ledger: Ledger) {
  const out = [];
  for await (const e of ledger.eventsOf(ledger.stationStream(STATION, 'transactions'))) out.push(e.event);
  return out;
}

describe('IngestPipeline: transaction facts of OCPP frames', () => {
  it('given a 1.6 StartTransaction CALL, when its CALLRESULT arrives, then the answer carries the idTag (the link of transactionId to token)', async () => {
    const { ledger, pipeline } = setUp();
    const call = await pipeline.process(record('1.6', 'StartTransaction', start, { ocppMessageId: 'st-1' }), 'kafka:ocpp-frames/0@1');
    expect(call).toMatchObject({ kind: 'recorded', events: [{ type: 'OcppTransactionStarted', data: { stationId: STATION, ocppMessageId: 'st-1', idTag: '04A1B2C3', connector: 1, meterStart: 1200, timestamp: '2025-06-03T08:00:00Z' } }] });
    const answer = await pipeline.process(record('1.6', 'StartTransaction', { transactionId: 4711, idTagInfo: { status: 'Accepted' } }, { ocppMessageId: 'st-1', result: true }), 'kafka:ocpp-frames/0@2');
    expect(answer).toMatchObject({ kind: 'recorded', events: [{ type: 'OcppTransactionIdAssigned', data: { transactionId: '4711', idTagStatus: 'Accepted', idTag: '04A1B2C3', receipt: { messageId: `${STATION}:st-1:result` } } }] });
  });

  it('records a 1.6 StopTransaction idTag, and adds nothing when the same frame comes again or is resent', async () => {
    const { ledger, pipeline } = setUp();
    const stop = { transactionId: 4711, idTag: '04A1B2C3', meterStop: 3400, timestamp: '2025-06-03T09:00:00Z', reason: 'Local' };
    const first = record('1.6', 'StopTransaction', stop, { ocppMessageId: 'sp-1' });
    expect(await pipeline.process(first, 'test')).toMatchObject({ kind: 'recorded', events: [{ type: 'OcppTransactionStopped', data: { transactionId: '4711', idTag: '04A1B2C3', meterStop: 3400 } }] });
    expect((await pipeline.process(first, 'redelivery')).events).toEqual([]);
    expect((await pipeline.process(record('1.6', 'StopTransaction', stop, { ocppMessageId: 'sp-1', receivedAt: '2025-06-03T09:05:00Z' }), 'resend')).events).toEqual([]);
    expect(await transactionEvents(ledger)).toHaveLength(1);
  });

  it('records a 2.0.1 TransactionEvent without signed values (Started) with its seqNo and idToken', async () => {
    const { pipeline } = setUp();
    const out = await pipeline.process(record('2.0.1', 'TransactionEvent', txEvent(0, 'Started')), 'test');
    expect(out).toMatchObject({
      kind: 'recorded',
      events: [{ type: 'OcppTransactionEventRecorded', data: { transactionId: 'tx-9', eventType: 'Started', seqNo: '0', triggerReason: 'MeterValuePeriodic', idToken: { idToken: 'DE-ABC-C12345678-X', type: 'eMAID' } } }],
    });
  });

  it('keeps no token for a 2.0.1 idToken that is empty (NoAuthorization: free charging)', async () => {
    const { pipeline } = setUp();
    const out = await pipeline.process(record('2.0.1', 'TransactionEvent', { ...txEvent(0, 'Started'), idToken: { idToken: '', type: 'NoAuthorization' } }), 'test');
    expect(out.kind).toBe('recorded');
    expect(out.events[0].data).not.toHaveProperty('idToken');
  });

  it('reports a missing seqNo like a gap, and a seqNo of 2^53 as one range', async () => {
    const { ledger, pipeline } = setUp();
    for (const n of [0, 1, 3]) await pipeline.process(record('2.0.1', 'TransactionEvent', txEvent(n)), 'test');
    expect(await ledger.seqNoGaps(STATION)).toEqual([
      { stationId: STATION, streamId: ledger.stationStream(STATION, 'transactions'), transactions: [{ transactionId: 'tx-9', lowestSeqNo: '0', highestSeqNo: '3', gaps: [{ from: '2', to: '2' }], missing: '1', evidence: [expect.objectContaining({ from: '2', to: '2', verdict: 'undetermined' })] }] },
    ]);
    await pipeline.process(record('2.0.1', 'TransactionEvent', txEvent(2 ** 53)), 'test');
    const [station] = await ledger.seqNoGaps(STATION);
    expect(station.transactions[0]).toMatchObject({ highestSeqNo: String(2 ** 53), gaps: [{ from: '2', to: '2' }, { from: '4', to: String(2 ** 53 - 1) }] });
  });

  it('rejects a transaction frame whose facts cannot be read, keeping the frame, and one the ledger refuses', async () => {
    const { ledger, pipeline } = setUp();
    const noSeqNo = record('2.0.1', 'TransactionEvent', { ...txEvent(0), seqNo: 'one' });
    expect(await pipeline.process(noSeqNo, 'test')).toMatchObject({ kind: 'rejected', code: 'bad-message', reason: expect.stringContaining('has no seqNo that is a non-negative integer') });
    const longTag = record('1.6', 'StartTransaction', { ...start, idTag: 'x'.repeat(40) });
    expect(await pipeline.process(longTag, 'test')).toMatchObject({ kind: 'rejected', code: 'ledger-rule', reason: expect.stringContaining('rule ocpp-id') });
    const raws = [];
    for await (const e of ledger.eventsOf(ledger.stationStream(STATION, 'rejections'))) raws.push((e.event.data as { raw: string }).raw);
    expect(raws).toEqual([noSeqNo, longTag]);
  });

  it('leaves frames without transaction facts alone (MeterValues of plain readings)', async () => {
    const { ledger, pipeline } = setUp();
    const out = await pipeline.process(record('1.6', 'MeterValues', { connectorId: 1, meterValue: [{ timestamp: '2025-06-03T08:48:45Z', sampledValue: [{ value: '1' }] }] }), 'test');
    expect(out).toMatchObject({ kind: 'nothing-to-record' });
    expect(await ledger.stationsWith('transactions')).toEqual([]);
  });
});
