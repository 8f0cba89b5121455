import type { AddressInfo } from 'node:net';
import { RPCServer } from 'ocpp-rpc';
import type RPCServerClient from 'ocpp-rpc/lib/server-client';
import { KafkaTestTopic, TEST_BROKERS } from '../testing/KafkaTestTopic';
import { RecordingLogger } from '../testing/RecordingLogger';
import { TestPki } from '../testing/TestPki';
import { TestStation } from '../testing/TestStation';
import { testEdgeConfig, writeStationsFile } from '../testing/testEdgeConfig';
import { createEdgeApp, type EdgeApp } from './createEdgeApp';

// Proxy mode against a real upstream CSMS (an ocpp-rpc server started here): every frame reaches the
// other side unchanged, both ways; metering frames reach the CSMS only once Kafka holds them.

const PW = 'proxy-station-password-1';
let pki: TestPki;
let topic: KafkaTestTopic;
let logger: RecordingLogger;
let edge: EdgeApp;
let url: string;
let upstreamPort: number;
let csms: RPCServer;
/** What the CSMS saw per identity: its frames in and out as raw text, and its live connection. */
const seen = new Map<string, { in: string[]; out: string[]; client: RPCServerClient }>();
/** High watermark of the topic when a metering CALL arrived at the CSMS, per OCPP message id. */
const watermarkAtArrival = new Map<string, number>();
const open: TestStation[] = [];

/** What the CSMS expects as basic-auth password per identity (null: none). */
const upstreamPasswords: Record<string, string | null> = { 'CP-P16': PW, 'CP-P201': 'csms-side-password-9', 'CP-PWRONG': 'something-else-entirely' };

async function startCsms(): Promise<void> {
  csms = new RPCServer({ protocols: ['ocpp2.0.1', 'ocpp1.6'], strictMode: false } as never);
  csms.auth((accept, reject, h) => {
    const expected = upstreamPasswords[h.identity];
    if (expected !== undefined && (expected === null ? !h.password : h.password?.toString('utf8') === expected)) accept();
    else reject(401, 'Unauthorized');
  });
  csms.on('client', (c: RPCServerClient) => {
    const record = { in: [] as string[], out: [] as string[], client: c };
    seen.set(c.identity!, record);
    c.on('message', ({ message, outbound }: { message: string; outbound: boolean }) => (outbound ? record.out : record.in).push(String(message)));
    const meter = async ({ messageId }: { messageId?: string }) => {
      watermarkAtArrival.set(messageId!, await topic.highWatermark());
      return {};
    };
    c.handle('BootNotification', async () => ({ status: 'Accepted', currentTime: '2025-01-01T00:00:00.000Z', interval: 60 }));
    c.handle('Heartbeat', async () => ({ currentTime: '2025-01-01T00:00:01.000Z' }));
    c.handle('StatusNotification', async () => ({}));
    c.handle('StartTransaction', async ({ messageId }: { messageId?: string }) => {
      watermarkAtArrival.set(messageId!, await topic.highWatermark());
      return { transactionId: 4242, idTagInfo: { status: 'Accepted', expiryDate: '2030-01-01T00:00:00Z' } };
    });
    c.handle('MeterValues', meter);
    c.handle('StopTransaction', meter);
    c.handle('TransactionEvent', meter);
  });
  const server = await csms.listen(0, '127.0.0.1');
  upstreamPort = (server.address() as AddressInfo).port;
}

async function connect(identity: string, opts: { protocols?: string[]; password?: string; cert?: boolean } = {}): Promise<TestStation> {
  const c = opts.cert ? pki.station(identity) : undefined;
  const s = new TestStation({ url, identity, ca: pki.ca.cert, protocols: opts.protocols ?? ['ocpp1.6'], ...(opts.password ? { password: opts.password } : {}), ...(c ? { cert: c.cert, key: c.key } : {}) });
  open.push(s);
  await s.connect();
  return s;
}

beforeAll(async () => {
  pki = new TestPki();
  topic = await KafkaTestTopic.create('ocpp-frames-proxy-test');
  await startCsms();
  const file = await writeStationsFile(pki.dir, { 'CP-P16': PW, 'CP-P201': null, 'CP-PWRONG': PW, 'CP-UNKNOWN-UPSTREAM': PW }, { 'CP-P201': 'csms-side-password-9' });
  logger = new RecordingLogger();
  edge = await createEdgeApp(
    testEdgeConfig(pki, file, {
      mode: 'proxy',
      upstream: { url: `ws://127.0.0.1:${upstreamPort}/ocpp`, basicAuth: 'forward', timeoutMs: 5_000 },
      kafka: { brokers: TEST_BROKERS, topic: topic.name, clientId: 'ocpp-edge-proxy-int', ackTimeoutMs: 10_000, connection: {} },
      edgeInstance: 'edge-proxy',
    }),
    { logger },
    false,
  );
  url = `wss://localhost:${edge.server.address().port}`;
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});

afterAll(async () => {
  await edge?.close();
  await csms?.close({ force: true });
  await topic?.dispose();
  pki?.dispose();
});

describe('proxy edge', () => {
  it('OCPP 1.6 over profile 2: frames pass unchanged both ways, CSMS calls included; metering reaches the CSMS only once stored', async () => {
    const s = await connect('CP-P16', { password: PW });
    s.client.handle('Reset', async () => ({ status: 'Accepted' }));
    s.client.handle('RemoteStartTransaction', async () => ({ status: 'Accepted' }));
    s.client.handle('GetLog', async () => ({ status: 'Accepted', filename: 'security.log' }));

    await expect(s.call('BootNotification', { chargePointVendor: 'Compleo', chargePointModel: 'CP800' })).resolves.toEqual({ status: 'Accepted', currentTime: '2025-01-01T00:00:00.000Z', interval: 60 });
    await s.call('Heartbeat', {});
    await s.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Preparing' });
    const start = await s.call<{ transactionId: number }>('StartTransaction', { connectorId: 1, idTag: '04A2B3C4D5', meterStart: 0, timestamp: '2025-01-01T10:00:00Z' });
    expect(start.transactionId).toBe(4242);
    await s.call('MeterValues', { connectorId: 1, transactionId: 4242, meterValue: [{ timestamp: '2025-01-01T10:15:00Z', sampledValue: [{ value: 'OCMF|{"PG":"T5"}|{"SD":"30"}', format: 'SignedData' }] }] });
    await s.call('StopTransaction', { transactionId: 4242, meterStop: 500, timestamp: '2025-01-01T11:00:00Z', transactionData: [{ timestamp: '2025-01-01T11:00:00Z', sampledValue: [{ value: 'OCMF|{"PG":"T6"}|{"SD":"31"}', format: 'SignedData' }] }] });

    // The CSMS let the edge in with the station's own password (EDGE_UPSTREAM_BASIC_AUTH=forward; its auth refuses any other).
    const upstream = seen.get('CP-P16')!;
    await expect(upstream.client.call('Reset', { type: 'Soft' })).resolves.toEqual({ status: 'Accepted' });
    await expect(upstream.client.call('RemoteStartTransaction', { idTag: 'ABC' })).resolves.toEqual({ status: 'Accepted' });
    await expect(upstream.client.call('GetLog', { logType: 'SecurityLog', requestId: 7, log: { remoteLocation: 'https://csms/logs' } })).resolves.toEqual({ status: 'Accepted', filename: 'security.log' });
    await expect(upstream.client.call('UnlockConnector', { connectorId: 1 })).rejects.toMatchObject({ rpcErrorCode: 'NotImplemented' });

    // Byte for byte: what the station sent is what the CSMS received, and the other way round.
    expect(upstream.in).toEqual(s.sent);
    expect(s.received).toEqual(upstream.out);
    expect(s.sent).toHaveLength(10); // 6 calls + 4 answers to the CSMS

    // Metering CALLs were committed in Kafka before the CSMS saw them; the StartTransaction answer is stored as the CSMS sent it.
    await topic.waitFor((r) => r.key === 'CP-P16' && r.record.action === 'StopTransaction');
    const ids = (action: string) => JSON.parse(s.sentCall(action))[1] as string;
    for (const action of ['StartTransaction', 'MeterValues', 'StopTransaction']) {
      const rec = topic.records.find((r) => r.key === 'CP-P16' && r.record.messageType === 'CALL' && r.record.action === action)!;
      expect(rec.record.frame).toBe(s.sentCall(action));
      expect(watermarkAtArrival.get(ids(action))).toBeGreaterThan(rec.offset);
    }
    const result = topic.records.find((r) => r.key === 'CP-P16' && r.record.messageType === 'CALLRESULT')!;
    expect(result.record.frame).toBe(upstream.out.find((t) => t.includes('4242')));
    expect(topic.records.filter((r) => r.key === 'CP-P16').map((r) => `${r.record.action}/${r.record.messageType}`)).toEqual([
      'BootNotification/CALL',
      'StartTransaction/CALL',
      'StartTransaction/CALLRESULT',
      'MeterValues/CALL',
      'StopTransaction/CALL',
    ]);
  });

  it('OCPP 2.0.1 over profile 3, with the upstream password from the stations file', async () => {
    const s = await connect('CP-P201', { protocols: ['ocpp2.0.1'], cert: true });
    s.client.handle('RequestStartTransaction', async () => ({ status: 'Accepted', transactionId: 'tx-9' }));
    await s.call('TransactionEvent', {
      eventType: 'Started',
      triggerReason: 'Authorized',
      seqNo: 0,
      timestamp: '2025-01-01T10:00:00Z',
      transactionInfo: { transactionId: 'tx-9' },
      idToken: { idToken: 'DE*EMP*C12345678*9', type: 'eMAID' },
    });
    const upstream = seen.get('CP-P201')!;
    await expect(upstream.client.call('RequestStartTransaction', { idToken: { idToken: 'X', type: 'Central' }, remoteStartId: 1 })).resolves.toEqual({ status: 'Accepted', transactionId: 'tx-9' });
    expect(upstream.in).toEqual(s.sent);
    expect(s.received).toEqual(upstream.out);
    const rec = await topic.waitFor((r) => r.key === 'CP-P201');
    expect(rec.record).toMatchObject({ ocppVersion: '2.0.1', securityProfile: 3, action: 'TransactionEvent', frame: s.sentCall('TransactionEvent') });
    expect(watermarkAtArrival.get(JSON.parse(s.sentCall('TransactionEvent'))[1])).toBeGreaterThan(rec.offset);
  });

  it('answers a frame that breaks the schema, or an action outside the schemas, itself: the CSMS never sees them', async () => {
    const s = await connect('CP-P16', { password: PW });
    const bad = edge.server.stats.badFrames;
    await expect(s.call('MeterValues', { connectorId: 'one' })).rejects.toMatchObject({ rpcErrorCode: 'OccurrenceConstraintViolation' });
    await expect(s.call('VendorSpecificThing', {})).rejects.toMatchObject({ rpcErrorCode: 'NotImplemented' });
    expect(edge.server.stats.badFrames - bad).toBe(1);
    await s.call('Heartbeat', {});
    expect(seen.get('CP-P16')!.in).toEqual([s.sentCall('Heartbeat')]);
  });

  it('refuses the station with the CSMS’s status when the CSMS refuses it', async () => {
    const s = new TestStation({ url, identity: 'CP-PWRONG', password: PW, ca: pki.ca.cert });
    await expect(s.connect()).rejects.toMatchObject({ code: 401 });
    expect(logger.warnings('handshake refused (upstream-refused, HTTP 401)', '"CP-PWRONG"')).toHaveLength(1);
  });

  it('closes the station’s connection when the CSMS closes its own', async () => {
    const s = await connect('CP-P16', { password: PW });
    await seen.get('CP-P16')!.client.close({ code: 1000, reason: 'CSMS says bye' });
    expect(await s.closed).toEqual({ code: 1001, reason: 'the CSMS closed its connection' });
  });

  it('refuses stations with 502 while the CSMS cannot be reached', async () => {
    const file = await writeStationsFile(pki.dir, { 'CP-P16': PW });
    const own = await createEdgeApp(
      testEdgeConfig(pki, file, {
        mode: 'proxy',
        upstream: { url: 'ws://127.0.0.1:1/ocpp', basicAuth: 'forward', timeoutMs: 2_000 },
        kafka: { brokers: TEST_BROKERS, topic: topic.name, clientId: 'ocpp-edge-proxy-int-2', ackTimeoutMs: 5_000, connection: {} },
      }),
      { logger: new RecordingLogger() },
      false,
    );
    try {
      const s = new TestStation({ url: `wss://localhost:${own.server.address().port}`, identity: 'CP-P16', password: PW, ca: pki.ca.cert });
      await expect(s.connect()).rejects.toMatchObject({ code: 502 });
      expect(own.server.stats.refused['upstream-unreachable']).toBe(1);
    } finally {
      await own.close();
    }
  });
});
