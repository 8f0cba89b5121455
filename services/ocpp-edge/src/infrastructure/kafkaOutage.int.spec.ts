import { KafkaTestTopic } from '../testing/KafkaTestTopic';
import { OwnKafkaBroker } from '../testing/OwnKafkaBroker';
import { RecordingLogger } from '../testing/RecordingLogger';
import { TestPki } from '../testing/TestPki';
import { TestStation } from '../testing/TestStation';
import { testEdgeConfig, writeStationsFile } from '../testing/testEdgeConfig';
import { createEdgeApp, type EdgeApp } from './createEdgeApp';

// Kafka outage: a broker of this test's own (never the shared one) is stopped while a station sends
// metering frames, then started again. The station behaves as OCPP asks of a real one: it keeps a
// message that got no CALLRESULT (a CALLERROR or no answer) and sends it again.

const PW = 'outage-station-password-1';
const FRAMES = 24;
let broker: OwnKafkaBroker;
let topic: KafkaTestTopic;
let pki: TestPki;
let edge: EdgeApp;
let logger: RecordingLogger;

jest.setTimeout(240_000);

beforeAll(async () => {
  broker = await OwnKafkaBroker.create();
  topic = await KafkaTestTopic.create('ocpp-frames-outage', broker.brokers);
  pki = new TestPki();
  const file = await writeStationsFile(pki.dir, { 'CP-OUT': PW });
  logger = new RecordingLogger();
  edge = await createEdgeApp(
    testEdgeConfig(pki, file, { kafka: { brokers: broker.brokers, topic: topic.name, clientId: 'ocpp-edge-outage', ackTimeoutMs: 1_500, connection: {} }, edgeInstance: 'edge-outage' }),
    { logger },
    false,
  );
});

afterAll(async () => {
  await edge?.close();
  await topic?.dispose().catch(() => undefined);
  await broker?.dispose();
  pki?.dispose();
});

it('acknowledges no metering frame Kafka does not hold; after the broker returns nothing is lost, and resends are recognisable', async () => {
  const s = new TestStation({ url: `wss://localhost:${edge.server.address().port}`, identity: 'CP-OUT', password: PW, ca: pki.ca.cert });
  await s.connect();
  const frame = (n: number) =>
    JSON.stringify([2, `out-${n}`, 'MeterValues', { connectorId: 1, transactionId: 77, meterValue: [{ timestamp: '2025-01-01T10:00:00Z', sampledValue: [{ value: `OCMF|{"PG":"T${n}"}|{"SD":"30"}`, format: 'SignedData' }] }] }]);
  type Phase = 'before' | 'stopping' | 'down' | 'restarting' | 'after';
  let phase = 'before' as Phase;
  const acknowledgedWhile: Record<string, number> = {};
  const sent: string[] = [];
  let callErrors = 0;
  let unanswered = 0;
  let sends = 0;

  // The station: one message at a time, each sent again until it gets its CALLRESULT; it goes on
  // with new messages until five have been acknowledged after the broker's return.
  const station = (async () => {
    for (let n = 1; !(phase === 'after' && (acknowledgedWhile.after ?? 0) >= 5); n++) {
      const text = frame(n);
      sent.push(text);
      for (;;) {
        sends++;
        const answer = await s.sendRawAndWait(text, 5_000).catch(() => undefined);
        const parsed = answer ? (JSON.parse(answer) as unknown[]) : undefined;
        if (parsed?.[0] === 3 && parsed[1] === `out-${n}`) {
          acknowledgedWhile[phase] = (acknowledgedWhile[phase] ?? 0) + 1;
          break;
        }
        if (parsed?.[0] === 4) {
          expect(parsed.slice(1, 3)).toEqual([`out-${n}`, 'InternalError']);
          callErrors++;
        } else unanswered++;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  })();
  const until = async (what: string, done: () => boolean, timeoutMs: number) => {
    const end = Date.now() + timeoutMs;
    while (!done()) {
      if (Date.now() > end) throw new Error(`${what} did not happen within ${timeoutMs} ms (acknowledged ${JSON.stringify(acknowledgedWhile)}, errors ${callErrors}, unanswered ${unanswered})`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };

  await until('8 acknowledged frames', () => (acknowledgedWhile.before ?? 0) >= 8, 30_000);
  phase = 'stopping';
  await broker.stop();
  phase = 'down';
  const downSince = Date.now();
  await until('3 refused or unanswered sends during the outage', () => callErrors + unanswered >= 3 && Date.now() - downSince >= 4_000, 60_000);
  phase = 'restarting';
  await broker.start();
  phase = 'after';
  await station;

  expect(acknowledgedWhile.down ?? 0).toBe(0);
  expect(logger.warnings('station "CP-OUT": MeterValues CALL', 'not stored, answered InternalError').length).toBeGreaterThanOrEqual(1);

  // Every frame is in Kafka exactly as sent; one stored more than once has the same text under the same messageId.
  const ids = sent.map((_, i) => `CP-OUT:out-${i + 1}`);
  await topic.waitFor(() => ids.every((id) => topic.records.some((r) => r.record.messageId === id)), 60_000).catch(() => undefined);
  const byId = new Map<string, Set<string>>();
  for (const r of topic.records) byId.set(r.record.messageId, (byId.get(r.record.messageId) ?? new Set()).add(r.record.frame));
  expect([...byId.keys()].sort()).toEqual([...ids].sort());
  for (const [i, text] of sent.entries()) expect([...byId.get(ids[i])!]).toEqual([text]);
  expect(topic.records.length).toBeLessThanOrEqual(sends);

  await expect(s.call('Heartbeat', {})).resolves.toBeDefined();
  await s.close();
});
