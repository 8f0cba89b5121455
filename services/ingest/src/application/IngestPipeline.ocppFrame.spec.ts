import { createHash, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { Ledger, SqliteEventStore, type RecordedEvent } from '@metrology-ledger/ledger';
import { signOcmf, writeOcppSignedMeterValue } from '@metrology-ledger/ocmf';
import { IngestPipeline, type IngestOutcome } from './IngestPipeline';

// ---- fixtures -------------------------------------------------------------------------------

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

class Meter {
  readonly privateKey: KeyObject;
  readonly publicKey: string;

  constructor() {
    const pair = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey.export({ format: 'der', type: 'spki' }).toString('hex');
  }

  /** A signed dataset; `readings` end readings make it longer (a long session's dataset). */
  dataset(counter: number, readings = 1): string {
    const RD = [{ TX: 'B', TM: '2025-06-03T07:48:45,000+0000 S', RU: 'kWh', RI: '1-b:1.8.0', RT: 'AC', RV: 1.2345, ST: 'G' }];
    for (let i = 0; i < readings; i++) RD.push({ TX: i === readings - 1 ? 'E' : 'T', TM: '2025-06-03T08:48:45,000+0000 S', RU: 'kWh', RI: '1-b:1.8.0', RT: 'AC', RV: 3 + i, ST: 'G' });
    const payload = JSON.stringify({ FV: '1.0', GI: 'CP0001', PG: `T${counter}`, MV: 'Chargepoint Inc.', MM: 'CPKM3000', MS: 'MjUxMzYyQjAwMDAx', IS: true, IT: 'ISO14443', ID: '1F2D3A4F', RD });
    return signOcmf(payload, this.privateKey, { algorithm: 'ECDSA-secp384r1-SHA256' });
  }
}

const STATION = 'CP-000001';

/** An `ocpp-frame` record as services/ocpp-edge writes it. */
function frameRecord(ocppVersion: '1.6' | '2.0.1', action: string, payload: unknown, options: { ocppMessageId?: string; receivedAt?: string } = {}): string {
  const ocppMessageId = options.ocppMessageId ?? randomUUID();
  const frame = JSON.stringify([2, ocppMessageId, action, payload]);
  return JSON.stringify({
    kind: 'ocpp-frame',
    messageId: `${STATION}:${ocppMessageId}`,
    identity: STATION,
    ocppVersion,
    securityProfile: 2,
    receivedAt: options.receivedAt ?? '2025-06-03T08:50:00.000Z',
    edgeInstance: 'edge-a',
    messageType: 'CALL',
    action,
    ocppMessageId,
    frame,
    frameSha256: sha256(frame),
  });
}

const signed16Json = (ocmf: string, publicKey?: string) => ({
  value: JSON.stringify({ signedMeterValue: Buffer.from(ocmf).toString('base64'), encodingMethod: 'OCMF', ...(publicKey ? { publicKey } : {}) }),
  format: 'SignedData',
  context: 'Transaction.End',
});
const signed16Bare = (ocmf: string) => ({ value: ocmf, format: 'SignedData', context: 'Transaction.End' });
const plain16 = { value: '1234.5', measurand: 'Energy.Active.Import.Register', unit: 'Wh' };
const ocaKey = (spkiHex: string) => Buffer.from(`oca:base16:asn1:${spkiHex}`).toString('base64');

function transactionEvent(signedMeterValue: unknown, seqNo = 3) {
  return {
    eventType: 'Ended',
    timestamp: '2025-06-03T08:48:46.000Z',
    triggerReason: 'StopAuthorized',
    seqNo,
    transactionInfo: { transactionId: 'tx-201' },
    idToken: { idToken: 'DE8EMA123456789', type: 'eMAID' },
    evse: { id: 1, connectorId: 1 },
    meterValue: [{ timestamp: '2025-06-03T08:48:45.000Z', sampledValue: [{ value: 3.4, context: 'Transaction.End', signedMeterValue }] }],
  };
}

async function setUp() {
  const meter = new Meter();
  const ledger = new Ledger(new SqliteEventStore(':memory:'));
  await ledger.registerKey({ stationId: STATION, publicKey: meter.publicKey, validFrom: '2025-01-01T00:00:00Z' });
  return { meter, ledger, pipeline: new IngestPipeline(ledger) };
}

async function eventsOf(ledger: Ledger, streamId: string): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const e of ledger.eventsOf(streamId)) out.push(e);
  return out;
}

const types = (o: IngestOutcome) => o.events.map((e) => e.type);
const data = (o: IngestOutcome, i: number) => o.events[i].data as unknown as Record<string, any>;

// ---- OCPP 1.6 -------------------------------------------------------------------------------

describe('IngestPipeline: OCPP frames of services/ocpp-edge', () => {
  it('records every SignedData of a 1.6 MeterValues frame (JSON-string and bare forms), each under its own id, the frame hash as evidence', async () => {
    const { meter, ledger, pipeline } = await setUp();
    const raw = frameRecord('1.6', 'MeterValues', {
      connectorId: 1,
      transactionId: 4711,
      meterValue: [{ timestamp: '2025-06-03T08:48:45Z', sampledValue: [plain16, signed16Json(meter.dataset(1), ocaKey(meter.publicKey)), signed16Bare(meter.dataset(2))] }],
    });
    const out = await pipeline.process(raw, 'kafka:ocpp-frames/0@7');
    expect(out).toMatchObject({ kind: 'recorded', messageId: `${STATION}:${JSON.parse(raw).ocppMessageId}`, stationId: STATION });
    expect(types(out)).toEqual(['DatasetRecorded', 'DatasetRecorded']);
    const { frameSha256, messageId } = JSON.parse(raw);
    expect(data(out, 0)).toMatchObject({ counter: '1', transactionId: '4711', connector: 1, verification: { verdict: 'valid' }, receipt: { messageId: `${messageId}#0`, messageSha256: frameSha256, source: 'kafka:ocpp-frames/0@7' } });
    expect(data(out, 1)).toMatchObject({ counter: '2', receipt: { messageId: `${messageId}#1`, messageSha256: frameSha256 } });
  });

  it('adds nothing for the same frame delivered again or resent by the station (same id, same text)', async () => {
    const { meter, pipeline } = await setUp();
    const payload = { connectorId: 1, transactionId: 4711, meterValue: [{ timestamp: '2025-06-03T08:48:45Z', sampledValue: [signed16Bare(meter.dataset(1))] }] };
    const first = frameRecord('1.6', 'MeterValues', payload, { ocppMessageId: 'm-1' });
    expect(types(await pipeline.process(first, 'test'))).toEqual(['DatasetRecorded']);
    expect(types(await pipeline.process(first, 'test'))).toEqual([]);
    const resent = frameRecord('1.6', 'MeterValues', payload, { ocppMessageId: 'm-1', receivedAt: '2025-06-03T09:00:00.000Z' });
    expect(types(await pipeline.process(resent, 'test'))).toEqual([]);
  });

  it('records the signed values of a 1.6 StopTransaction transactionData', async () => {
    const { meter, pipeline } = await setUp();
    const out = await pipeline.process(
      frameRecord('1.6', 'StopTransaction', { transactionId: 4711, meterStop: 3400, timestamp: '2025-06-03T08:48:46Z', transactionData: [{ timestamp: '2025-06-03T08:48:45Z', sampledValue: [signed16Json(meter.dataset(1))] }] }),
      'test',
    );
    expect(types(out)).toEqual(['DatasetRecorded', 'OcppTransactionStopped']);
    expect(data(out, 0)).toMatchObject({ counter: '1', transactionId: '4711' });
  });

  it('records nothing for a frame without signed values, and says so', async () => {
    const { ledger, pipeline } = await setUp();
    const meterValues = await pipeline.process(frameRecord('1.6', 'MeterValues', { connectorId: 1, meterValue: [{ timestamp: '2025-06-03T08:48:45Z', sampledValue: [plain16] }] }), 'test');
    expect(meterValues).toMatchObject({ kind: 'nothing-to-record', reason: 'CALL MeterValues without signed meter values', events: [] });
    expect(await ledger.stationsWith('rejections')).toEqual([]);
  });

  it('rejects a SignedData that cannot be read, naming where it sits, and keeps the frame', async () => {
    const { ledger, pipeline } = await setUp();
    const raw = frameRecord('1.6', 'MeterValues', { connectorId: 1, meterValue: [{ timestamp: '2025-06-03T08:48:45Z', sampledValue: [plain16, { value: '{"signedMeterValue": 12}', format: 'SignedData' }] }] });
    const out = await pipeline.process(raw, 'test');
    expect(out).toMatchObject({ kind: 'rejected', code: 'unparseable' });
    expect(out.kind === 'rejected' && out.reason).toMatch(/^the signed value at meterValue\[0\]\.sampledValue\[1\] of the "MeterValues" frame holds no readable OCMF dataset: .*signedMeterValue/);
    const [e] = await eventsOf(ledger, ledger.stationStream(STATION, 'rejections'));
    expect(e.event.data).toMatchObject({ raw, receipt: { messageId: `${JSON.parse(raw).messageId}#0`, messageSha256: JSON.parse(raw).frameSha256 } });
  });

  it('rejects a tampered dataset as today, and keeps the other datasets of the frame', async () => {
    const { meter, ledger, pipeline } = await setUp();
    const tampered = meter.dataset(2).replace('"RV":3,', '"RV":30,');
    const raw = frameRecord('1.6', 'MeterValues', { connectorId: 1, meterValue: [{ timestamp: '2025-06-03T08:48:45Z', sampledValue: [signed16Bare(meter.dataset(1)), signed16Bare(tampered)] }] });
    const out = await pipeline.process(raw, 'test');
    expect(types(out)).toEqual(['DatasetRecorded', 'DatasetRejected']);
    expect(out).toMatchObject({ kind: 'rejected', code: 'invalid-signature' });
    expect(out.kind === 'rejected' && out.reason).toMatch(/^1 of 2 datasets rejected; CP-000001:.*#1: /);
    const [e] = await eventsOf(ledger, ledger.stationStream(STATION, 'rejections'));
    expect(e.event.data).toMatchObject({ code: 'invalid-signature', counter: '2', raw });
  });

  it('rejects a record whose frameSha256 is not the hash of its frame, and one that is not a frame record', async () => {
    const { pipeline } = await setUp();
    const altered = { ...JSON.parse(frameRecord('1.6', 'MeterValues', { connectorId: 1, meterValue: [] })), frameSha256: 'a'.repeat(64) };
    expect(await pipeline.process(JSON.stringify(altered), 'test')).toMatchObject({ kind: 'rejected', code: 'bad-message', reason: expect.stringContaining('the record was altered') });
    const notOcppJ = { ...altered, frame: '{"hello":1}', frameSha256: sha256('{"hello":1}') };
    expect(await pipeline.process(JSON.stringify(notOcppJ), 'test')).toMatchObject({ kind: 'rejected', code: 'bad-message', reason: expect.stringContaining('the OCPP frame cannot be read: the frame is not an OCPP-J CALL') });
    const noVersion = { ...altered, ocppVersion: '1.5' };
    expect(await pipeline.process(JSON.stringify(noVersion), 'test')).toMatchObject({ kind: 'rejected', code: 'bad-message', reason: expect.stringContaining('ocppVersion') });
  });

  // ---- OCPP 2.0.1 -----------------------------------------------------------------------------

  it('records a 2.0.1 TransactionEvent signedMeterValue with its transaction and connector', async () => {
    const { meter, pipeline } = await setUp();
    const out = await pipeline.process(frameRecord('2.0.1', 'TransactionEvent', transactionEvent(writeOcppSignedMeterValue(meter.dataset(1), 'ECDSA-secp384r1-SHA256', meter.publicKey))), 'test');
    expect(types(out)).toEqual(['DatasetRecorded', 'OcppTransactionEventRecorded']);
    expect(data(out, 0)).toMatchObject({ counter: '1', transactionId: 'tx-201', connector: 1, verification: { verdict: 'valid' } });
    expect(data(out, 0).verification.reason).not.toContain('flagged');
  });

  it('records a signedMeterData over the 2.0.1 limit of 2,500 characters whole, flagged', async () => {
    const { meter, pipeline } = await setUp();
    const long = meter.dataset(1, 20);
    const smv = writeOcppSignedMeterValue(long, 'ECDSA-secp384r1-SHA256');
    expect(smv.signedMeterData.length).toBeGreaterThan(2500);
    const out = await pipeline.process(frameRecord('2.0.1', 'TransactionEvent', transactionEvent(smv)), 'test');
    expect(types(out)).toEqual(['DatasetRecorded', 'OcppTransactionEventRecorded']);
    expect(data(out, 0).ocmf).toBe(long);
    expect(data(out, 0).verification).toMatchObject({ verdict: 'valid', reason: expect.stringContaining(`flagged: signedMeterData is ${smv.signedMeterData.length} characters, over OCPP 2.0.1's limit of 2500`) });
  });

  // ---- a key sent by the station --------------------------------------------------------------

  it('rejects a dataset whose station-sent key is not registered, even when it verifies under that key, naming both fingerprints', async () => {
    const { ledger, pipeline } = await setUp();
    const impostor = new Meter();
    const out = await pipeline.process(frameRecord('2.0.1', 'TransactionEvent', transactionEvent(writeOcppSignedMeterValue(impostor.dataset(1), 'ECDSA-secp384r1-SHA256', impostor.publicKey))), 'test');
    expect(out).toMatchObject({ kind: 'rejected', code: 'key-mismatch' });
    const fp = (k: string) => `sha256:${sha256(k).slice(0, 16)}`;
    expect(out.kind === 'rejected' && out.reason).toContain(`the station sent public key ${fp(impostor.publicKey)} with the dataset, but the keys registered for station "CP-000001" are ${fp((ledger.keys.keysOf(STATION)[0].publicKey))}`);
  });

  it('rejects a validly signed dataset sent with another key than the registered one (1.6 JSON form)', async () => {
    const { meter, pipeline } = await setUp();
    const other = new Meter();
    const out = await pipeline.process(frameRecord('1.6', 'MeterValues', { connectorId: 1, meterValue: [{ timestamp: '2025-06-03T08:48:45Z', sampledValue: [signed16Json(meter.dataset(1), ocaKey(other.publicKey))] }] }), 'test');
    expect(out).toMatchObject({ kind: 'rejected', code: 'key-mismatch' });
    expect(out.events[0].data).toMatchObject({ counter: '1', verification: { verdict: 'valid' } });
  });

  it('accepts the registered key sent in another spelling (PEM) and rejects an unreadable one', async () => {
    const { meter, pipeline } = await setUp();
    const pem = `-----BEGIN PUBLIC KEY-----\n${Buffer.from(meter.publicKey, 'hex').toString('base64')}\n-----END PUBLIC KEY-----`;
    const ok = await pipeline.process(frameRecord('1.6', 'MeterValues', { connectorId: 1, meterValue: [{ timestamp: '2025-06-03T08:48:45Z', sampledValue: [signed16Json(meter.dataset(1), pem)] }] }), 'test');
    expect(types(ok)).toEqual(['DatasetRecorded']);
    const bad = await pipeline.process(frameRecord('1.6', 'MeterValues', { connectorId: 1, meterValue: [{ timestamp: '2025-06-03T08:48:45Z', sampledValue: [signed16Json(meter.dataset(2), 'not a key!')] }] }), 'test');
    expect(bad).toMatchObject({ kind: 'rejected', code: 'bad-key' });
  });

  it('applies the key rule to ocmf-dataset messages carrying a SignedMeterValueType too', async () => {
    const { meter, pipeline } = await setUp();
    const other = new Meter();
    const ocmf = JSON.stringify(writeOcppSignedMeterValue(meter.dataset(1), 'ECDSA-secp384r1-SHA256', other.publicKey));
    const out = await pipeline.process(JSON.stringify({ kind: 'ocmf-dataset', messageId: 'd-1', stationId: STATION, ocmf }), 'test');
    expect(out).toMatchObject({ kind: 'rejected', code: 'key-mismatch' });
  });

  it('rejects the datasets of a station without registered keys', async () => {
    const { meter } = await setUp();
    const out = await new IngestPipeline(new Ledger(new SqliteEventStore(':memory:'))).process(
      frameRecord('1.6', 'MeterValues', { connectorId: 1, meterValue: [{ timestamp: '2025-06-03T08:48:45Z', sampledValue: [signed16Bare(meter.dataset(1))] }] }),
      'test',
    );
    expect(out).toMatchObject({ kind: 'rejected', code: 'unknown-station' });
  });
});
