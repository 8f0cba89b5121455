import { X509Certificate } from 'node:crypto';
import type { EdgeConfig } from '../config/EdgeConfig';
import { KafkaTestTopic, TEST_BROKERS } from '../testing/KafkaTestTopic';
import { RecordingLogger } from '../testing/RecordingLogger';
import { TestPki } from '../testing/TestPki';
import { TestStation, type TestStationOptions } from '../testing/TestStation';
import { testEdgeConfig, writeStationsFile } from '../testing/testEdgeConfig';
import { createEdgeApp, type EdgeApp } from './createEdgeApp';

// Standalone edge → real Kafka (scripts/kafka.sh, 127.0.0.1:19092; a topic of its own), stations as
// ocpp-rpc clients over security profiles 2 and 3 with certificates made here by openssl.

const PW = 'sp2-password-000000001';
let pki: TestPki;
let topic: KafkaTestTopic;
let logger: RecordingLogger;
let edge: EdgeApp;
let url: string;
const open: TestStation[] = [];

async function connect(opts: Omit<TestStationOptions, 'url' | 'ca'>): Promise<TestStation> {
  const s = new TestStation({ url, ca: pki.ca.cert, ...opts });
  open.push(s);
  await s.connect();
  return s;
}

function sp3(identity: string, protocols = ['ocpp2.0.1'], certCn = identity, from: 'ca' | 'rogue' = 'ca'): Omit<TestStationOptions, 'url' | 'ca'> {
  const c = pki.station(certCn, from);
  return { identity, protocols, cert: c.cert, key: c.key };
}

/**
 * Calls `action` and checks that when the CALLRESULT arrived the record was already committed in
 * the topic (below the high watermark), then reads it back: key = identity, frame = the exact text
 * the station sent. Returns the answer and the records written for the call.
 */
async function callStoredFirst(s: TestStation, action: string, params: unknown, records = 1) {
  const before = await topic.highWatermark();
  const answer = await s.call(action, params);
  const atAnswer = await topic.highWatermark();
  expect(atAnswer).toBe(before + records);
  const written = [];
  for (let i = 0; i < records; i++) written.push(await topic.at(before + i));
  const sent = s.sentCall(action);
  expect(written[0].key).toBe(s.client.identity);
  expect(Buffer.from(written[0].record.frame, 'utf8').equals(Buffer.from(sent, 'utf8'))).toBe(true);
  expect(written[0].record).toMatchObject({ kind: 'ocpp-frame', action, messageType: 'CALL', identity: s.client.identity, edgeInstance: 'edge-int', messageId: `${s.client.identity}:${JSON.parse(sent)[1]}` });
  return { answer, written };
}

beforeAll(async () => {
  pki = new TestPki();
  const file = await writeStationsFile(pki.dir, { 'CP-16': PW, 'CP-201': null, 'CP-16-SP3': null, 'CP-RAW': PW, 'CP-SCHEMA': PW, 'CP-BIG': PW, 'CP-REFUSE': PW, 'CP-CERT': null });
  topic = await KafkaTestTopic.create();
  logger = new RecordingLogger();
  const config: EdgeConfig = testEdgeConfig(pki, file, {
    kafka: { brokers: TEST_BROKERS, topic: topic.name, clientId: 'ocpp-edge-int', ackTimeoutMs: 10_000, connection: {} },
    edgeInstance: 'edge-int',
    maxBadFrames: 3,
  });
  edge = await createEdgeApp(config, { logger }, false);
  url = `wss://localhost:${edge.server.address().port}`;
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

afterAll(async () => {
  await edge?.close();
  await topic?.dispose();
  pki?.dispose();
});

describe('standalone edge on Kafka: OCPP 1.6 over security profile 2', () => {
  it('stores BootNotification, StartTransaction (and its transactionId), MeterValues and StopTransaction before answering', async () => {
    const s = await connect({ identity: 'CP-16', password: PW });
    const boot = await callStoredFirst(s, 'BootNotification', { chargePointVendor: 'Compleo', chargePointModel: 'CP800', firmwareVersion: '1.4.2' });
    expect(boot.answer).toMatchObject({ status: 'Accepted', interval: 300 });
    expect(boot.written[0].record).toMatchObject({ ocppVersion: '1.6', securityProfile: 2 });
    expect(boot.written[0].record.clientCertSha256).toBeUndefined();

    const start = await callStoredFirst(s, 'StartTransaction', { connectorId: 1, idTag: '04A2B3C4D5', meterStart: 1000, timestamp: '2025-01-01T10:00:00Z' }, 2);
    const transactionId = (start.answer as { transactionId: number }).transactionId;
    expect(start.written[1].record).toMatchObject({ messageType: 'CALLRESULT', action: 'StartTransaction' });
    expect(start.written[1].record.frame).toBe(s.received.at(-1));
    expect(JSON.parse(start.written[1].record.frame)[2].transactionId).toBe(transactionId);

    // The two SignedData forms seen in the field, untouched by the edge.
    const signedJson = JSON.stringify({ signedMeterValue: 'OCMF|{"FV":"1.0","PG":"T12"}|{"SD":"3045"}', encodingMethod: 'OCMF', publicKey: '3059301306' });
    const mv = await callStoredFirst(s, 'MeterValues', {
      connectorId: 1,
      transactionId,
      meterValue: [
        { timestamp: '2025-01-01T10:15:00Z', sampledValue: [{ value: signedJson, format: 'SignedData', context: 'Sample.Periodic' }] },
        { timestamp: '2025-01-01T10:30:00Z', sampledValue: [{ value: 'OCMF|{"FV":"1.0","PG":"T13"}|{"SD":"3046"}', format: 'SignedData', context: 'Sample.Periodic' }] },
      ],
    });
    expect(mv.answer).toEqual({});
    const stop = await callStoredFirst(s, 'StopTransaction', {
      transactionId,
      meterStop: 2000,
      timestamp: '2025-01-01T11:00:00Z',
      transactionData: [{ timestamp: '2025-01-01T11:00:00Z', sampledValue: [{ value: 'OCMF|{"FV":"1.0","PG":"T14"}|{"SD":"3047"}', format: 'SignedData', context: 'Transaction.End' }] }],
    });
    expect(stop.answer).toEqual({});
  });

  it('keeps the frame text exactly as received: spacing, key order, escapes and non-ASCII', async () => {
    const s = await connect({ identity: 'CP-RAW', password: PW });
    const text = '[2 , "raw-1","MeterValues",  {"transactionId":7,"connectorId":1,\n "meterValue":[{"sampledValue":[{"value":"OCMF|{\\"PG\\":\\"T1\\",\\"ID\\":\\"\\u00e4Ö€\\"}|{}","format":"SignedData"}],"timestamp":"2025-01-01T10:00:00.000+01:00"}]}]';
    const before = await topic.highWatermark();
    expect(JSON.parse(await s.sendRawAndWait(text))).toEqual([3, 'raw-1', {}]);
    expect(await topic.highWatermark()).toBe(before + 1);
    const r = await topic.at(before);
    expect(Buffer.from(r.record.frame, 'utf8').equals(Buffer.from(text, 'utf8'))).toBe(true);
    expect(r.record.messageId).toBe('CP-RAW:raw-1');
  });
});

describe('standalone edge on Kafka: security profile 3', () => {
  it('stores OCPP 2.0.1 TransactionEvents (signedMeterData over 2,500 characters too) and SecurityEventNotification before answering', async () => {
    const opts = sp3('CP-201');
    const s = await connect(opts);
    const fingerprint = new X509Certificate(opts.cert!).fingerprint256.replace(/:/g, '').toLowerCase();
    const boot = await callStoredFirst(s, 'BootNotification', { reason: 'PowerUp', chargingStation: { model: 'CP800', vendorName: 'Compleo', firmwareVersion: '2.0.0' } });
    expect(boot.written[0].record).toMatchObject({ ocppVersion: '2.0.1', securityProfile: 3, clientCertSha256: fingerprint });
    const long = Buffer.from(`OCMF|{"FV":"1.0","PG":"T2","RD":[${'{"TM":"2025-01-01T10:00:00,000+0000 S","RV":1.0},'.repeat(60)}{}]}|{"SD":"30"}`).toString('base64');
    expect(long.length).toBeGreaterThan(2500);
    for (const [eventType, triggerReason, seqNo] of [
      ['Started', 'Authorized', 0],
      ['Updated', 'MeterValuePeriodic', 1],
      ['Ended', 'StopAuthorized', 2],
    ] as const) {
      const ev = await callStoredFirst(s, 'TransactionEvent', {
        eventType,
        triggerReason,
        seqNo,
        timestamp: '2025-01-01T10:00:00Z',
        transactionInfo: { transactionId: 'tx-201-1' },
        ...(eventType === 'Started' ? { idToken: { idToken: 'DE*EMP*C12345678*9', type: 'eMAID' } } : {}),
        meterValue: [{ timestamp: '2025-01-01T10:00:00Z', sampledValue: [{ value: seqNo, signedMeterValue: { signedMeterData: long, signingMethod: 'ECDSA-secp256r1-SHA256', encodingMethod: 'OCMF', publicKey: '' } }] }],
      });
      expect(ev.written[0].record.securityProfile).toBe(3);
    }
    const sec = await callStoredFirst(s, 'SecurityEventNotification', { type: 'TamperDetectionActivated', timestamp: '2025-01-01T12:00:00Z', techInfo: 'cover opened' });
    expect(sec.answer).toEqual({});
    await expect(s.call('Heartbeat', {})).resolves.toBeDefined();
    expect(await topic.highWatermark()).toBe(sec.written[0].offset + 1); // the heartbeat stayed at the edge
  });

  it('serves OCPP 1.6 over profile 3 as well', async () => {
    const s = await connect(sp3('CP-16-SP3', ['ocpp1.6']));
    const { written } = await callStoredFirst(s, 'FirmwareStatusNotification', { status: 'Installed' });
    expect(written[0].record).toMatchObject({ ocppVersion: '1.6', securityProfile: 3 });
  });
});

describe('standalone edge on Kafka: refusals and bad input reach no one', () => {
  it.each<[string, () => Omit<TestStationOptions, 'url' | 'ca'>, number, string, string]>([
    ['a wrong subprotocol', () => ({ identity: 'CP-REFUSE', password: PW, protocols: ['ocpp1.5'] }), 400, 'no-subprotocol', 'offers the subprotocol(s) "ocpp1.5"'],
    ['a wrong password', () => ({ identity: 'CP-REFUSE', password: 'not-the-password-01' }), 401, 'wrong-password', 'station "CP-REFUSE" sent a password that does not match'],
    ['an unknown identity', () => ({ identity: 'CP-NOBODY', password: PW }), 401, 'unknown-identity', 'station "CP-NOBODY" is not in the stations file'],
    ['a certificate for another identity', () => sp3('CP-CERT', ['ocpp2.0.1'], 'CP-201'), 401, 'certificate-identity', 'subject CN is "CP-201"'],
    ['a certificate from another CA', () => sp3('CP-CERT', ['ocpp2.0.1'], 'CP-CERT', 'rogue'), 401, 'certificate-invalid', 'does not verify against the operator CA'],
  ])('refuses %s at the handshake, says why in the log', async (_what, opts, status, code, logged) => {
    const before = edge.server.stats.refused[code as never] ?? 0;
    const s = new TestStation({ url, ca: pki.ca.cert, ...opts() });
    await expect(s.connect()).rejects.toMatchObject({ code: status });
    expect(edge.server.stats.refused[code as never]).toBe(before + 1);
    expect(logger.warnings(`handshake refused (${code}, HTTP ${status})`, logged)).not.toHaveLength(0);
  });

  it('answers schema violations with the OCPP error, counts them, and none reaches Kafka', async () => {
    const s = await connect({ identity: 'CP-SCHEMA', password: PW });
    const bad = edge.server.stats.badFrames;
    await expect(s.call('MeterValues', { connectorId: 1, meterValue: [{ timestamp: 'yesterday', sampledValue: [] }] })).rejects.toMatchObject({ rpcErrorCode: 'FormationViolation' });
    await expect(s.call('StopTransaction', { transactionId: 'x', meterStop: 1, timestamp: '2025-01-01T00:00:00Z' })).rejects.toMatchObject({ rpcErrorCode: 'TypeConstraintViolation' });
    expect(edge.server.stats.badFrames - bad).toBe(2);
    const { written } = await callStoredFirst(s, 'BootNotification', { chargePointVendor: 'v', chargePointModel: 'm' });
    expect(topic.records.filter((r) => r.key === 'CP-SCHEMA').map((r) => r.offset)).toEqual([written[0].offset]);
  });

  it('closes a connection with 1009 on a frame over the size limit; nothing of it reaches Kafka', async () => {
    const s = await connect({ identity: 'CP-BIG', password: PW });
    const before = await topic.highWatermark();
    s.client.sendRaw(JSON.stringify([2, 'big-1', 'MeterValues', { connectorId: 1, meterValue: [{ timestamp: '2025-01-01T00:00:00Z', sampledValue: [{ value: 'x'.repeat(70_000) }] }] }]));
    expect((await s.closed).code).toBe(1009);
    expect(await topic.highWatermark()).toBe(before);
    expect(logger.warnings('station "CP-BIG": frame over 65536 bytes')).toHaveLength(1);
  });
});
