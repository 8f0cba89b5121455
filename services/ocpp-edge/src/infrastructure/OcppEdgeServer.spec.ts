import { randomBytes } from 'node:crypto';
import { renameSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { ControlledPublisher } from '../testing/ControlledPublisher';
import { RecordingLogger } from '../testing/RecordingLogger';
import { TestPki } from '../testing/TestPki';
import { TestStation } from '../testing/TestStation';
import { testEdgeConfig, writeStationsFile } from '../testing/testEdgeConfig';
import { createEdgeApp, type EdgeApp } from './createEdgeApp';

// The edge's behaviour with a publisher the test steers (no Kafka): what is answered when, and what
// happens to bad input. The same flows against a real broker are in edge.int.spec.ts.

const PASSWORD = 'station-password-0001';
let pki: TestPki;
let publisher: ControlledPublisher;
let logger: RecordingLogger;
let edge: EdgeApp;
let url: string;
const open: TestStation[] = [];

async function station(identity: string, protocols = ['ocpp1.6']): Promise<TestStation> {
  const s = new TestStation({ url, identity, protocols, password: PASSWORD, ca: pki.ca.cert });
  open.push(s);
  await s.connect();
  return s;
}

const meterValues16 = (value: string) => ({
  connectorId: 1,
  transactionId: 4711,
  meterValue: [{ timestamp: '2025-01-01T10:00:00Z', sampledValue: [{ value, format: 'SignedData', context: 'Sample.Periodic', measurand: 'Energy.Active.Import.Register' }] }],
});
const transactionEvent = {
  eventType: 'Updated',
  timestamp: '2025-01-01T10:00:00Z',
  triggerReason: 'MeterValuePeriodic',
  seqNo: 3,
  transactionInfo: { transactionId: 'tx-201' },
  meterValue: [{ timestamp: '2025-01-01T10:00:00Z', sampledValue: [{ value: 1.5, signedMeterValue: { signedMeterData: 'T0NNRnx7fXx7fQ==', signingMethod: '', encodingMethod: 'OCMF', publicKey: '' } }] }],
};
const settle = () => new Promise((r) => setTimeout(r, 50));

beforeAll(async () => {
  pki = new TestPki();
  const stations: Record<string, string> = {};
  for (const id of ['CP-GATE', 'CP-201', 'CP-FAIL', 'CP-START', 'CP-EDGEONLY', 'CP-SCHEMA', 'CP-BAD', 'CP-RESET', 'CP-BIG', 'CP-OTHER', 'CP-TWICE', 'CP-UNKNOWN-ACTION', 'CP-LATE']) stations[id] = PASSWORD;
  const file = await writeStationsFile(pki.dir, stations);
  publisher = new ControlledPublisher();
  logger = new RecordingLogger();
  edge = await createEdgeApp(testEdgeConfig(pki, file, { maxBadFrames: 3, maxFrameBytes: 4096 }), { publisher, logger }, false);
  url = `wss://localhost:${edge.server.address().port}`;
});

afterEach(async () => {
  publisher.mode = 'store';
  await Promise.all(open.splice(0).map((s) => s.close()));
});

afterAll(async () => {
  await edge?.close();
  pki?.dispose();
});

describe('standalone edge: nothing for the ledger is answered before it is stored', () => {
  it('answers a 1.6 MeterValues only after the publisher acknowledged its raw frame', async () => {
    const s = await station('CP-GATE');
    publisher.mode = 'hold';
    let answered = false;
    const call = s.call('MeterValues', meterValues16('OCMF|{"PG":"T1"}|{"SD":"00"}')).then((r) => ((answered = true), r));
    await publisher.waitHeld(1);
    await settle();
    expect(answered).toBe(false);
    expect(s.received).toEqual([]);
    const held = publisher.held.shift()!;
    expect(held.record).toMatchObject({ kind: 'ocpp-frame', identity: 'CP-GATE', ocppVersion: '1.6', securityProfile: 2, action: 'MeterValues', messageType: 'CALL', edgeInstance: 'edge-test' });
    expect(held.record.frame).toBe(s.sentCall('MeterValues'));
    held.release();
    await expect(call).resolves.toEqual({});
  });

  it('does the same for a 2.0.1 TransactionEvent', async () => {
    const s = await station('CP-201', ['ocpp2.0.1']);
    publisher.mode = 'hold';
    let answered = false;
    const call = s.call('TransactionEvent', transactionEvent).then((r) => ((answered = true), r));
    await publisher.waitHeld(1);
    await settle();
    expect(answered).toBe(false);
    const held = publisher.held.shift()!;
    expect(held.record).toMatchObject({ ocppVersion: '2.0.1', action: 'TransactionEvent', frame: s.sentCall('TransactionEvent') });
    held.release();
    await expect(call).resolves.toEqual({});
  });

  it('answers InternalError when the frame is not stored; the resent frame is stored under the same messageId and hash', async () => {
    const s = await station('CP-FAIL');
    publisher.mode = 'fail';
    const frame = '[2,"resend-1","MeterValues",' + JSON.stringify(meterValues16('OCMF|{"PG":"T9"}|{"SD":"01"}')) + ']';
    const refused = JSON.parse(await s.sendRawAndWait(frame));
    expect(refused.slice(0, 3)).toEqual([4, 'resend-1', 'InternalError']);
    expect(logger.warnings('"CP-FAIL"', 'not stored, answered InternalError', 'test outage')).toHaveLength(1);
    publisher.mode = 'store';
    const before = publisher.stored.length;
    expect(JSON.parse(await s.sendRawAndWait(frame))).toEqual([3, 'resend-1', {}]);
    const stored = publisher.stored.slice(before);
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ messageId: 'CP-FAIL:resend-1', frame });
    expect(edge.server.stats.framesNotStored).toBeGreaterThanOrEqual(1);
    const metrics = await edge.server.metrics.registry.getSingleMetricAsString('edge_frames_published_total');
    expect(metrics).toMatch(/edge_frames_published_total\{action="MeterValues",message_type="CALL",outcome="not_stored"\} [1-9]/);
    expect(metrics).toMatch(/edge_frames_published_total\{action="MeterValues",message_type="CALL",outcome="stored"\} [1-9]/);
    expect(logger.lines.find((l) => l.message.includes('not stored'))?.fields).toMatchObject({ identity: 'CP-FAIL', ocppMessageId: 'resend-1', action: 'MeterValues' });
  });

  it('stores a 1.6 StartTransaction and its answer (the transactionId), the answer byte for byte as the station got it', async () => {
    const s = await station('CP-START');
    const before = publisher.stored.length;
    const answer = await s.call<{ transactionId: number }>('StartTransaction', { connectorId: 1, idTag: '04A2B3C4', meterStart: 100, timestamp: '2025-01-01T10:00:00Z' });
    expect(answer).toEqual({ idTagInfo: { status: 'Accepted' }, transactionId: expect.any(Number) });
    const [call, result] = publisher.stored.slice(before);
    expect(call).toMatchObject({ messageType: 'CALL', action: 'StartTransaction', frame: s.sentCall('StartTransaction') });
    expect(result).toMatchObject({ messageType: 'CALLRESULT', action: 'StartTransaction', messageId: `${call.messageId}:result`, ocppMessageId: call.ocppMessageId });
    expect(result.frame).toBe(s.received.at(-1));
    const stop = await s.call('StopTransaction', { transactionId: answer.transactionId, meterStop: 200, timestamp: '2025-01-01T11:00:00Z', transactionData: [] });
    expect(stop).toEqual({});
    expect(publisher.stored.at(-1)).toMatchObject({ action: 'StopTransaction', frame: s.sentCall('StopTransaction') });
  });

  it('keeps heartbeats, status and authorisation at the edge', async () => {
    const s = await station('CP-EDGEONLY');
    const before = publisher.stored.length;
    publisher.mode = 'fail'; // not even tried
    await expect(s.call('Heartbeat', {})).resolves.toEqual({ currentTime: expect.stringMatching(/Z$/) });
    await expect(s.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Available' })).resolves.toEqual({});
    await expect(s.call('Authorize', { idTag: '04A2B3C4' })).resolves.toEqual({ idTagInfo: { status: 'Accepted' } });
    expect(publisher.stored.length).toBe(before);
  });
});

describe('standalone edge: bad input', () => {
  it('answers a frame that breaks the schema with the OCPP error, counts and logs it, stores nothing', async () => {
    const s = await station('CP-SCHEMA');
    const badFramesBefore = edge.server.stats.badFrames;
    const before = publisher.stored.length;
    await expect(s.call('MeterValues', { connectorId: 'one', meterValue: [] })).rejects.toMatchObject({ rpcErrorCode: 'TypeConstraintViolation' });
    await expect(s.call('StartTransaction', { connectorId: 1 })).rejects.toMatchObject({ rpcErrorCode: 'OccurrenceConstraintViolation' });
    expect(edge.server.stats.badFrames - badFramesBefore).toBe(2);
    expect(publisher.stored.length).toBe(before);
    expect(logger.warnings('station "CP-SCHEMA": bad frame', 'MeterValues breaks the OCPP 1.6 schema')).toHaveLength(1);
    await expect(s.call('Heartbeat', {})).resolves.toBeDefined();
  });

  it('closes the connection after 3 bad frames in a row (not JSON, not OCPP-J, schema); a good frame starts the count again', async () => {
    const s = await station('CP-BAD');
    expect(JSON.parse(await s.sendRawAndWait('this is not json'))).toEqual([4, '-1', 'RpcFrameworkError', 'Message must be a JSON structure', {}]);
    expect(JSON.parse(await s.sendRawAndWait('{"an":"object"}'))[2]).toBe('RpcFrameworkError');
    await s.call('Heartbeat', {});
    await s.sendRawAndWait('[2,"b1","Heartbeat",{"extra":1}]');
    await s.sendRawAndWait('[2,"b2","Heartbeat",{"extra":2}]');
    const closedBefore = edge.server.stats.closedForBadFrames;
    expect(JSON.parse(await s.sendRawAndWait('[2,"b3","Heartbeat",{"extra":3}]'))[2]).toBe('PropertyConstraintViolation');
    expect(await s.closed).toEqual({ code: 1002, reason: 'too many bad frames' });
    expect(edge.server.stats.closedForBadFrames - closedBefore).toBe(1);
    expect(logger.warnings('station "CP-BAD": closing the connection after 3 bad frames in a row')).toHaveLength(1);
    expect(logger.warnings('station "CP-BAD": bad frame', '"this is not json"')).toHaveLength(1);
  });

  it('closes the connection with 1009 on a frame over the size limit; the edge carries on', async () => {
    const s = await station('CP-BIG');
    const oversizeBefore = edge.server.stats.oversizeFrames;
    s.client.sendRaw(JSON.stringify([2, 'big-1', 'DataTransfer', { vendorId: 'x', data: 'a'.repeat(5000) }]));
    expect((await s.closed).code).toBe(1009);
    await settle();
    expect(edge.server.stats.oversizeFrames - oversizeBefore).toBe(1);
    expect(logger.warnings('station "CP-BIG": frame over 4096 bytes')).toHaveLength(1);
    const other = await station('CP-OTHER');
    await expect(other.call('Heartbeat', {})).resolves.toBeDefined();
  });

  it('answers an action it does not handle with NotImplemented, without counting it as bad', async () => {
    const s = await station('CP-UNKNOWN-ACTION');
    const bad = edge.server.stats.badFrames;
    await expect(s.call('SomethingVendorSpecific', {})).rejects.toMatchObject({ rpcErrorCode: 'NotImplemented' });
    await expect(s.call('GetLog', { logType: 'DiagnosticsLog', requestId: 1, log: {} })).rejects.toMatchObject({ rpcErrorCode: 'NotImplemented' });
    expect(edge.server.stats.badFrames).toBe(bad);
  });

  it('refuses a malformed identity with 400 and does not crash', async () => {
    // A percent-encoding ocpp-rpc cannot decode (a client library would never send it, so by hand).
    const status = await new Promise<number | undefined>((resolve, reject) => {
      const req = httpsRequest({
        host: '127.0.0.1',
        port: edge.server.address().port,
        path: '/ocpp/bad%E0%A4%A',
        ca: pki.ca.cert,
        servername: 'localhost',
        headers: { Connection: 'Upgrade', Upgrade: 'websocket', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': randomBytes(16).toString('base64'), 'Sec-WebSocket-Protocol': 'ocpp1.6' },
      });
      req.on('response', (res) => resolve(res.statusCode));
      req.on('upgrade', () => resolve(101));
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(400);
    expect(edge.server.stats.refused['bad-identity']).toBeGreaterThanOrEqual(1);
    const s = await station('CP-OTHER');
    await expect(s.call('Heartbeat', {})).resolves.toBeDefined();
  });
});

describe('standalone edge: connections', () => {
  it('lets a second connection of the same identity replace the first', async () => {
    const first = await station('CP-TWICE');
    const second = await station('CP-TWICE');
    expect(await first.closed).toEqual({ code: 1000, reason: 'replaced by a new connection of the same identity' });
    await expect(second.call('Heartbeat', {})).resolves.toBeDefined();
    expect(edge.server.link('CP-TWICE')).toBeDefined();
    expect(edge.server.stats.replacedConnections).toBeGreaterThanOrEqual(1);
    // The gauge counts live connections: the replaced one is gone from it.
    const gauge = await edge.server.metrics.registry.getSingleMetricAsString('edge_connected_stations');
    const live = gauge.split('\n').filter((l) => l.startsWith('edge_connected_stations{')).reduce((n, l) => n + Number(l.split(' ').pop()), 0);
    expect(live).toBe(edge.server.connections);
  });
});

describe('standalone edge: stations file and security profile 1', () => {
  it('takes a station added to the stations file while running', async () => {
    const file = await writeStationsFile(pki.dir, { 'CP-OLD': PASSWORD });
    const own = await createEdgeApp(testEdgeConfig(pki, file), { publisher: new ControlledPublisher(), logger: new RecordingLogger() }, false);
    try {
      const ownUrl = `wss://localhost:${own.server.address().port}`;
      const late = () => new TestStation({ url: ownUrl, identity: 'CP-LATE', password: PASSWORD, ca: pki.ca.cert });
      await expect(late().connect()).rejects.toMatchObject({ code: 401 });
      const updated = await writeStationsFile(pki.dir, { 'CP-OLD': PASSWORD, 'CP-LATE': PASSWORD });
      renameSync(updated, file);
      await new Promise((r) => setTimeout(r, 1_100));
      const s = late();
      open.push(s);
      await s.connect();
      await expect(s.call('Heartbeat', {})).resolves.toBeDefined();
    } finally {
      await own.close();
    }
  });

  it('serves profile 1 (basic auth over plain ws) where it is configured, and records the profile', async () => {
    const file = await writeStationsFile(pki.dir, { 'CP-SP1': PASSWORD });
    const p = new ControlledPublisher();
    const { tls: _tls, ...plain } = testEdgeConfig(pki, file);
    const own = await createEdgeApp({ ...plain, securityProfiles: new Set([1]) }, { publisher: p, logger: new RecordingLogger() }, false);
    try {
      const s = new TestStation({ url: `ws://127.0.0.1:${own.server.address().port}`, identity: 'CP-SP1', password: PASSWORD });
      open.push(s);
      await s.connect();
      await s.call('BootNotification', { chargePointVendor: 'v', chargePointModel: 'm' });
      expect(p.stored[0]).toMatchObject({ identity: 'CP-SP1', securityProfile: 1 });
      const wrong = new TestStation({ url: `ws://127.0.0.1:${own.server.address().port}`, identity: 'CP-SP1', password: 'wrong-password-000001' });
      await expect(wrong.connect()).rejects.toMatchObject({ code: 401 });
    } finally {
      await own.close();
    }
  });
});

describe('standalone edge: shutdown', () => {
  it('stops accepting, answers the calls in flight once stored, then closes every connection with 1001', async () => {
    const file = await writeStationsFile(pki.dir, { 'CP-A': PASSWORD, 'CP-B': PASSWORD });
    const p = new ControlledPublisher();
    const own = await createEdgeApp(testEdgeConfig(pki, file, { shutdownTimeoutMs: 5_000 }), { publisher: p, logger: new RecordingLogger() }, false);
    const ownUrl = `wss://localhost:${own.server.address().port}`;
    const a = new TestStation({ url: ownUrl, identity: 'CP-A', password: PASSWORD, ca: pki.ca.cert });
    await a.connect();
    p.mode = 'hold';
    const inFlight = a.call('MeterValues', meterValues16('OCMF|{}|{}'));
    await p.waitHeld(1);
    const closing = own.close();
    await settle();
    const b = new TestStation({ url: ownUrl, identity: 'CP-B', password: PASSWORD, ca: pki.ca.cert });
    await expect(b.connect()).rejects.toBeDefined();
    p.held[0].release();
    await expect(inFlight).resolves.toEqual({});
    expect((await a.closed).code).toBe(1001);
    await closing;
    expect(p.stored.map((r) => r.identity)).toEqual(['CP-A']);
  });
});
