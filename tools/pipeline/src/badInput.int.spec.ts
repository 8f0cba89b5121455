import type { ChildProcess } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigResourceTypes, Kafka, logLevel, type Producer } from 'kafkajs';
import { RPCClient } from 'ocpp-rpc';
import { Ledger, type LedgerEvent, type RecordedEvent } from '@metrology-ledger/ledger';
import { signOcmf } from '@metrology-ledger/ocmf';
import { PasswordHash, StationRegistry } from '@metrology-ledger/ocpp-edge';
import { BROKERS, ensureKafka, KafkaPipelineHarness } from './KafkaPipelineHarness';

// Bad input through the whole path, on the built services: messages published to Kafka (and, where
// a station can send them, frames sent through the built edge over a real WebSocket) → the built
// ingest → the ledger in PostgreSQL → read back through the ledger and the built query service's
// auditor endpoints. Each ends as a recorded event with its reason (a rejection; a replay as a
// duplicate, a reused message id with other content as a conflict: the ledger's rules), never as a
// crash or a silent drop, and every service keeps serving.

const sha256 = (b: string | Buffer) => createHash('sha256').update(b).digest('hex');
const AUDITOR = `bad-input-auditor-${randomBytes(12).toString('hex')}`;
const FIVE_MB = 5 * 1024 * 1024;

/** A meter's P-384 key and the datasets it signs; numbers are spliced in as written. */
class Meter {
  readonly privateKey: KeyObject;
  readonly publicKey: string;

  constructor() {
    const pair = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey.export({ format: 'der', type: 'spki' }).toString('hex');
  }

  dataset(counter: string, end = '2.5'): string {
    const payload =
      `{"FV":"1.0","GI":"CP800","PG":"T${counter}","MV":"Test Meter","MM":"TM1","MS":"TM-0001","IS":true,"IT":"ISO14443","ID":"04A1B2C3","RD":[` +
      `{"TX":"B","TM":"2025-06-03T07:48:45,000+0000 S","RU":"kWh","RI":"1-b:1.8.0","RT":"AC","RV":1.5,"ST":"G"},` +
      `{"TX":"E","TM":"2025-06-03T08:48:45,000+0000 S","RU":"kWh","RI":"1-b:1.8.0","RT":"AC","RV":${end},"ST":"G"}]}`;
    return signOcmf(payload, this.privateKey, { algorithm: 'ECDSA-secp384r1-SHA256' });
  }
}

type Rejected = Extract<LedgerEvent, { type: 'DatasetRejected' }>['data'] & { rawBytes?: number; rawSha256?: string; rawTruncated?: boolean };

describe('bad input: Kafka and the edge → built ingest → PostgreSQL ledger → built query', () => {
  const h = new KafkaPipelineHarness();
  const dir = mkdtempSync(join(tmpdir(), 'bad-input-'));
  const A = `CP-BAD-A-${h.suffix}`;
  const B = `CP-BAD-B-${h.suffix}`;
  const meterA = new Meter();
  const meterB = new Meter();
  const passwords = { [A]: `pw-a-${randomBytes(12).toString('hex')}`, [B]: `pw-b-${randomBytes(12).toString('hex')}` };
  const ledger = new Ledger(h.store);
  const clients: RPCClient[] = [];
  let producer: Producer;
  let ingest: ChildProcess;
  let query: { url: string; child: ChildProcess };
  let edge: { port: number; child: ChildProcess };

  beforeAll(async () => {
    ensureKafka();
    await h.prepareEmpty();
    const kafka = new Kafka({ brokers: [BROKERS], logLevel: logLevel.NOTHING });
    // The broker's default limit is 1 MiB a record: the topic takes 8 MiB so the 5 MB message reaches ingest.
    const admin = kafka.admin();
    await admin.connect();
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: ConfigResourceTypes.TOPIC, name: h.topics.datasets, configEntries: [{ name: 'max.message.bytes', value: String(8 * 1024 * 1024) }] }] });
    await admin.disconnect();
    await ledger.registerKey({ stationId: A, publicKey: meterA.publicKey, validFrom: '2025-01-01T00:00:00Z' });
    await ledger.registerKey({ stationId: B, publicKey: meterB.publicKey, validFrom: '2025-01-01T00:00:00Z' });
    let registry = StationRegistry.empty();
    for (const [identity, password] of Object.entries(passwords)) registry = registry.with({ identity, password: await PasswordHash.create(password, { N: 1024, r: 8, p: 1 }) });
    const stationsFile = join(dir, 'stations.json');
    writeFileSync(stationsFile, registry.toFileText(), { mode: 0o600 });

    ingest = h.startIngest();
    query = await h.startQuery(`${AUDITOR}=auditor`, { env: { QUERY_REFRESH_MS: '200' } });
    edge = await h.startEdge({ EDGE_MODE: 'standalone', EDGE_SECURITY_PROFILES: '1', EDGE_ALLOW_SP1: 'true', EDGE_STATIONS_FILE: stationsFile, EDGE_INSTANCE_ID: 'edge-bad-input' });
    producer = kafka.producer();
    await producer.connect();
  }, 120_000);

  afterAll(async () => {
    for (const c of clients) await c.close({ force: true }).catch(() => undefined);
    await producer?.disconnect();
    await h.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const publish = (value: string | Buffer, key: string, topic = h.topics.datasets) => producer.send({ topic, messages: [{ key, value }] });
  const datasetMessage = (fields: { messageId: string; stationId: string; ocmf: string }) => JSON.stringify({ kind: 'ocmf-dataset', connector: 1, sentAt: '2025-06-03T08:50:00Z', ...fields });

  async function events(stream: string): Promise<RecordedEvent[]> {
    const out: RecordedEvent[] = [];
    for await (const e of ledger.eventsOf(stream)) out.push(e);
    return out;
  }

  /** Waits until the ledger holds an event of `stream` that `match` accepts (ingest must stay up meanwhile). */
  async function ledgerEvent(stream: () => Promise<string[]> | string[], match: (e: RecordedEvent) => boolean, what: string): Promise<RecordedEvent> {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (ingest.exitCode !== null) throw new Error(`ingest exited with ${ingest.exitCode}: ${h.outputOf(ingest).slice(-3000)}`);
      for (const s of await stream()) {
        const found = (await events(s)).find(match);
        if (found) return found;
      }
      if (Date.now() > deadline) throw new Error(`the ledger has no ${what}; ingest said:\n${h.outputOf(ingest).slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }

  const rejectionIn = (stationId: string, match: (d: Rejected) => boolean, what: string) =>
    ledgerEvent(() => [ledger.stationStream(stationId, 'rejections')], (e) => e.event.type === 'DatasetRejected' && match(e.event.data as Rejected), what).then((e) => e.event.data as Rejected);
  const unattributed = (match: (d: Rejected) => boolean, what: string) =>
    ledgerEvent(() => [ledger.unattributedRejectionsStream()], (e) => e.event.type === 'DatasetRejected' && match(e.event.data as Rejected), what).then((e) => e.event.data as Rejected);
  const datasetEvent = (stationId: string, type: LedgerEvent['type'], match: (d: { receipt: { messageId: string } }) => boolean, what: string) =>
    ledgerEvent(() => ledger.datasetStreams(stationId), (e) => e.event.type === type && match(e.event.data as never), what).then((e) => e.event.data as Record<string, unknown>);

  /** Every item of a paged auditor list of the built query service, followed to the end (waits until `match` finds one). */
  async function auditorItem<T>(path: string, match: (item: T) => boolean): Promise<T> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      let cursor: string | null = null;
      do {
        const r = await fetch(`${query.url}${path}${path.includes('?') ? '&' : '?'}limit=500${cursor ? `&after=${encodeURIComponent(cursor)}` : ''}`, { headers: { Authorization: `Bearer ${AUDITOR}` } });
        expect(r.status).toBe(200);
        const body = (await r.json()) as { items: T[]; nextCursor: string | null };
        const found = body.items.find(match);
        if (found) return found;
        cursor = body.nextCursor;
      } while (cursor);
      if (query.child.exitCode !== null) throw new Error(`query exited with ${query.child.exitCode}`);
      if (Date.now() > deadline) throw new Error(`no matching item at ${path}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** The station's complete ledger as the auditor exports it (NDJSON). */
  async function auditorLedger(stationId: string): Promise<{ type: string; data: Record<string, unknown> }[]> {
    const r = await fetch(`${query.url}/auditor/stations/${encodeURIComponent(stationId)}/ledger`, { headers: { Authorization: `Bearer ${AUDITOR}` } });
    expect(r.status).toBe(200);
    return (await r.text())
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as { type: string; data: Record<string, unknown> });
  }

  async function station(identity: string): Promise<RPCClient> {
    const client = new RPCClient({ endpoint: `ws://127.0.0.1:${edge.port}/ocpp`, identity, protocols: ['ocpp1.6'], password: passwords[identity], reconnect: false, strictMode: true, callTimeoutMs: 20_000 } as never);
    clients.push(client);
    await client.connect();
    return client;
  }
  const meterValues = (ocmf: string) => ({ connectorId: 1, meterValue: [{ timestamp: '2025-06-03T08:48:45Z', sampledValue: [{ value: ocmf, format: 'SignedData', context: 'Sample.Periodic' }] }] });

  it('a message that is not JSON: a bad-message rejection under the Kafka key, kept verbatim', async () => {
    const value = '{"kind":"ocmf-dataset", this is not JSON';
    await publish(value, A);
    const r = await rejectionIn(A, (d) => d.raw === value, 'rejection of the non-JSON message');
    expect(r).toMatchObject({ code: 'bad-message', reason: expect.stringContaining('not JSON'), receipt: { messageId: `sha256:${sha256(value)}`, messageSha256: sha256(value) } });
    expect(await auditorItem<Rejected>(`/auditor/stations/${A}/rejections`, (i) => i.raw === value)).toMatchObject({ code: 'bad-message', reason: r.reason });
  });

  it('JSON that is not an object (an array, a string, a number): bad-message rejections naming the missing kind', async () => {
    const values = ['[1,2,3]', '"just a string"', '42'];
    for (const v of values) await publish(v, A);
    for (const v of values) {
      const r = await rejectionIn(A, (d) => d.raw === v, `rejection of ${v}`);
      expect(r).toMatchObject({ code: 'bad-message', reason: expect.stringContaining('unknown message kind') });
      expect(await auditorItem<Rejected>(`/auditor/stations/${A}/rejections`, (i) => i.raw === v)).toMatchObject({ code: 'bad-message' });
    }
  });

  it('a 5 MB message: a too-large rejection keeping its first 4 KiB, its size and its hash', async () => {
    const head = datasetMessage({ messageId: `big-${h.suffix}`, stationId: A, ocmf: '' }).slice(0, -1);
    const value = `${head},"padding":"${'x'.repeat(FIVE_MB - head.length - 14)}"}`;
    expect(Buffer.byteLength(value)).toBeGreaterThanOrEqual(FIVE_MB);
    await publish(value, A);
    const r = await rejectionIn(A, (d) => d.code === 'too-large', 'too-large rejection');
    expect(r).toMatchObject({ rawBytes: Buffer.byteLength(value), rawSha256: sha256(value), rawTruncated: true, reason: expect.stringContaining('1048576') });
    expect(r.raw).toBe(value.slice(0, 4096));
    const listed = await auditorItem<Rejected>(`/auditor/stations/${A}/rejections?includeRaw=false`, (i) => i.code === 'too-large');
    expect(listed).toMatchObject({ rawBytes: Buffer.byteLength(value), rawSha256: sha256(value) });
    // A station cannot send it: the edge closes the connection with 1009 (EDGE_MAX_FRAME_BYTES,
    // 64 KiB), the station is told, and nothing reaches Kafka (services/ocpp-edge's own tests).
    const s = await station(A);
    const closed = new Promise<{ code: number }>((r) => s.once('close', r as never));
    s.sendRaw(JSON.stringify([2, 'big', 'DataTransfer', { vendorId: 'x', data: value }]));
    expect((await closed).code).toBe(1009);
  });

  it('a dataset with a 400-digit number: as its counter, a ledger-rule rejection citing the 200-digit rule; as its reading, recorded exactly as signed', async () => {
    const counter = '1'.repeat(400);
    await publish(datasetMessage({ messageId: `long-counter-${h.suffix}`, stationId: A, ocmf: meterA.dataset(counter) }), A);
    const r = await rejectionIn(A, (d) => d.receipt.messageId === `long-counter-${h.suffix}`, 'rejection of the 400-digit counter');
    expect(r).toMatchObject({ code: 'ledger-rule', reason: expect.stringContaining('200 digits') });
    expect(await auditorItem<Rejected>(`/auditor/stations/${A}/rejections`, (i) => i.receipt?.messageId === `long-counter-${h.suffix}`)).toMatchObject({ code: 'ledger-rule' });

    // A 400-digit reading is signed evidence: recorded valid, byte for byte (the session then has no
    // energy figure, with the reason: libs/ocmf, services/query).
    const ocmf = meterA.dataset('7', '9'.repeat(400));
    await publish(datasetMessage({ messageId: `long-reading-${h.suffix}`, stationId: A, ocmf }), A);
    const rec = await datasetEvent(A, 'DatasetRecorded', (d) => d.receipt.messageId === `long-reading-${h.suffix}`, 'the 400-digit reading');
    expect(rec).toMatchObject({ counter: '7', ocmf, verification: { verdict: 'valid' } });
    // Through the edge: the same number in a station's MeterValues reaches the same rejection.
    const s = await station(A);
    await s.call('MeterValues', meterValues(meterA.dataset('2'.repeat(400))));
    const viaEdge = await rejectionIn(A, (d) => d.code === 'ledger-rule' && d.receipt.messageId.startsWith(`${A}:`), 'rejection of the 400-digit counter sent through the edge');
    expect(viaEdge.reason).toContain('200 digits');
  });

  it('a station id with control characters or path separators: unattributed rejections; the edge refuses such an identity at the handshake', async () => {
    const ids = ['CP\u0001\u001b[31mX', '../CP-A', `${A}/rejections`, 'CP\\A', 'CP\nA'];
    for (const [i, stationId] of ids.entries()) await publish(datasetMessage({ messageId: `odd-id-${i}-${h.suffix}`, stationId, ocmf: meterA.dataset('3') }), stationId);
    for (const [i, stationId] of ids.entries()) {
      const r = await unattributed((d) => d.receipt.messageId === `odd-id-${i}-${h.suffix}`, `unattributed rejection of ${JSON.stringify(stationId)}`);
      // Filed in the unattributed stream, never under a station; the claimed id is kept as data.
      expect(r).toMatchObject({ code: 'bad-message', stationId, reason: expect.stringContaining('stationId') });
      expect(JSON.parse(r.raw)).toMatchObject({ stationId });
      expect(await auditorItem<Rejected>('/auditor/unattributed-rejections', (x) => x.receipt?.messageId === `odd-id-${i}-${h.suffix}`)).toMatchObject({ code: 'bad-message' });
    }
    // A message that cannot be read, under such a Kafka key: unattributed too.
    const unreadable = `not JSON, keyed ${h.suffix}`;
    await publish(unreadable, `${A}/../\u0001`);
    expect(await unattributed((d) => d.raw === unreadable, 'unattributed rejection of the unreadable message')).toMatchObject({ code: 'bad-message', reason: expect.stringContaining('not JSON') });
    // Nothing was filed under the station whose name the path tried to reach.
    expect((await events(ledger.stationStream(A, 'rejections'))).some((e) => /odd-id-/.test((e.event.data as Rejected).receipt.messageId))).toBe(false);
    for (const identity of ['CP\u0001X', '../CP-A', 'CP/A']) {
      const c = new RPCClient({ endpoint: `ws://127.0.0.1:${edge.port}/ocpp`, identity, protocols: ['ocpp1.6'], password: 'whatever-password', reconnect: false } as never);
      await expect(c.connect()).rejects.toMatchObject({ code: 400 });
    }
  });

  it("a valid dataset published under another station's id: an invalid-signature rejection under the station it claims, by Kafka and by the edge", async () => {
    await publish(datasetMessage({ messageId: `foreign-${h.suffix}`, stationId: B, ocmf: meterA.dataset('11') }), B);
    const r = await rejectionIn(B, (d) => d.receipt.messageId === `foreign-${h.suffix}`, "rejection of A's dataset under B");
    expect(r).toMatchObject({ code: 'invalid-signature', counter: '11' });
    expect(r.reason.length).toBeGreaterThan(20);
    expect(await auditorItem<Rejected>(`/auditor/stations/${B}/rejections`, (i) => i.receipt?.messageId === `foreign-${h.suffix}`)).toMatchObject({ code: 'invalid-signature' });
    const s = await station(B);
    await s.call('MeterValues', meterValues(meterA.dataset('12')));
    expect(await rejectionIn(B, (d) => d.code === 'invalid-signature' && d.counter === '12', "rejection of A's dataset sent by B through the edge")).toMatchObject({ stationId: B });
    for (const stream of await ledger.datasetStreams(B)) expect((await events(stream)).filter((e) => e.event.type === 'DatasetRecorded')).toEqual([]);
  }, 120_000);

  it('a replayed dataset with a new message id: a duplicate with its own receipt, by Kafka and by the edge', async () => {
    const ocmf = meterA.dataset('21');
    await publish(datasetMessage({ messageId: `first-${h.suffix}`, stationId: A, ocmf }), A);
    await datasetEvent(A, 'DatasetRecorded', (d) => d.receipt.messageId === `first-${h.suffix}`, 'the original');
    await publish(datasetMessage({ messageId: `replay-${h.suffix}`, stationId: A, ocmf }), A);
    expect(await datasetEvent(A, 'DuplicateReceived', (d) => d.receipt.messageId === `replay-${h.suffix}`, 'the replay')).toMatchObject({ counter: '21' });
    const s = await station(A);
    await s.call('MeterValues', meterValues(ocmf));
    const viaEdge = await datasetEvent(A, 'DuplicateReceived', (d) => d.receipt.messageId.startsWith(`${A}:`), 'the replay through the edge');
    expect(viaEdge).toMatchObject({ counter: '21' });
    const exported = await auditorLedger(A);
    expect(exported.filter((e) => e.type === 'DuplicateReceived' && e.data.counter === '21')).toHaveLength(2);
  });

  it('the same message id with other content: another message, recorded as a conflict (a tampered one as a rejection), never taken for a redelivery', async () => {
    const id = `reused-${h.suffix}`;
    await publish(datasetMessage({ messageId: id, stationId: A, ocmf: meterA.dataset('31', '3.0') }), A);
    await datasetEvent(A, 'DatasetRecorded', (d) => d.receipt.messageId === id, 'the first message');
    const other = meterA.dataset('31', '4.0');
    await publish(datasetMessage({ messageId: id, stationId: A, ocmf: other }), A);
    expect(await datasetEvent(A, 'ConflictReceived', (d) => d.receipt.messageId === id, 'the conflict')).toMatchObject({ counter: '31', ocmf: other });
    expect(await auditorItem<{ counter: string }>(`/auditor/stations/${A}/conflicts`, (c) => c.counter === '31')).toBeDefined();
    const tampered = meterA.dataset('31', '3.0').replace('"RV":3.0', '"RV":30');
    await publish(datasetMessage({ messageId: id, stationId: A, ocmf: tampered }), A);
    expect(await rejectionIn(A, (d) => d.receipt.messageId === id, 'rejection of the tampered reuse')).toMatchObject({ code: 'invalid-signature', counter: '31' });
  });

  it('afterwards every service still serves: a valid dataset by Kafka and by the edge is recorded, query answers', async () => {
    await publish(datasetMessage({ messageId: `after-${h.suffix}`, stationId: B, ocmf: meterB.dataset('1') }), B);
    await datasetEvent(B, 'DatasetRecorded', (d) => d.receipt.messageId === `after-${h.suffix}`, 'the valid dataset sent last');
    const s = await station(B);
    await s.call('MeterValues', meterValues(meterB.dataset('2')));
    await datasetEvent(B, 'DatasetRecorded', (d) => d.receipt.messageId.startsWith(`${B}:`), 'the valid dataset sent through the edge');
    for (const c of [ingest, query.child, edge.child]) expect(c.exitCode).toBeNull();
    expect((await ledger.verifyChains()).broken).toEqual([]);
  });
});
