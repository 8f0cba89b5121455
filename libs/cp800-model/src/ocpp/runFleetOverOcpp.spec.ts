import { createServer, type AddressInfo } from 'node:net';
import { RPCServer, createRPCError } from 'ocpp-rpc';
import { NO_FAULTS, type FaultSpec } from '../sim/FaultSpec';
import { FleetSimulator } from '../sim/FleetSimulator';
import { serializeMessage } from '../sim/serializeMessage';
import type { OcmfDatasetMessage } from '../sim/SimulationMessage';
import { OcppConnectionFailed } from './OcppStationLink';
import type { OcppFrameSent } from './OcppSimStation';
import { runFleetOverOcpp } from './runFleetOverOcpp';

// The simulator's OCPP mode against an in-process CSMS (ocpp-rpc's RPCServer in strict mode, so a
// frame that breaks the official schema is answered with a CALLERROR and fails the run).

type Frame = [number, string, string, Record<string, unknown>];
type Handler = (identity: string, frame: Frame, close: () => void) => Record<string, unknown> | 'drop' | Error;

interface Csms {
  url: string;
  received: { identity: string; text: string }[];
  /** Handshakes the server saw (refused ones too). */
  handshakes: () => number;
  close: () => Promise<void>;
}

async function csms(options: { refuse?: boolean; on?: Handler; port?: number; status?: number } = {}): Promise<Csms> {
  const server = new RPCServer({ protocols: ['ocpp1.6', 'ocpp2.0.1'], strictMode: true } as never);
  const received: Csms['received'] = [];
  let nextTransactionId = 4711;
  let handshakes = 0;
  server.auth((accept, reject, handshake) => {
    handshakes++;
    if (options.status !== undefined) reject(options.status, 'Bad Gateway');
    else if (options.refuse || handshake.password?.toString() !== `pw-${handshake.identity}`) reject(401, 'Unauthorized');
    else accept();
  });
  server.on('client', (client: { identity: string; on: (e: string, f: (x: { message: string | Buffer; outbound: boolean }) => void) => void; handle: (f: (x: { method: string; params: Record<string, unknown>; messageId: string }) => Promise<unknown>) => void; close: (o: unknown) => Promise<unknown> }) => {
    client.on('message', ({ message, outbound }) => {
      if (!outbound) received.push({ identity: client.identity, text: String(message) });
    });
    client.handle(async ({ method, params, messageId }) => {
      const answer = options.on?.(client.identity, [2, messageId, method, params], () => void client.close({ force: true }));
      if (answer === 'drop') return new Promise(() => undefined);
      if (answer instanceof Error) throw answer;
      if (answer) return answer;
      if (method === 'BootNotification') return { status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 };
      if (method === 'StartTransaction') return { transactionId: nextTransactionId++, idTagInfo: { status: 'Accepted' } };
      if (method === 'StopTransaction') return { idTagInfo: { status: 'Accepted' } };
      return {};
    });
  });
  const http = await server.listen(options.port ?? 0, '127.0.0.1');
  return { url: `ws://127.0.0.1:${(http.address() as AddressInfo).port}`, received, handshakes: () => handshakes, close: () => server.close({ force: true } as never) as Promise<void> };
}

const FAULTS: FaultSpec = { ...NO_FAULTS, duplicate: 0.3, conflict: 0.2, stationFault: 1 };
const simulation = { stations: 2, days: 1, seed: 11, start: Date.UTC(2025, 4, 1), faults: FAULTS, signing: 'rfc6979' as const };
const parse = (text: string) => JSON.parse(text) as Frame;
const servers: Csms[] = [];
afterAll(async () => Promise.all(servers.map((s) => s.close())));

async function run(version: '1.6' | '2.0.1', server: Pick<Csms, 'url'>, extra: { callTimeoutMs?: number; maxConnectAttempts?: number } = {}) {
  const frames: OcppFrameSent[] = [];
  const manifest = await runFleetOverOcpp({
    simulation,
    url: server.url,
    version,
    credentialsOf: (id) => ({ password: `pw-${id}` }),
    concurrency: 2,
    onFrame: (f) => frames.push(f),
    link: { backoff: { initialDelay: 50, maxDelay: 100 }, ...extra },
  });
  return { manifest, frames };
}

/** The simulator's messages for the same options (signatures are deterministic under rfc6979). */
function expectedMessages() {
  const sim = new FleetSimulator(simulation);
  return [...sim.days()].flat();
}

describe('the fleet simulator over OCPP', () => {
  it('1.6: boots, opens each session with StartTransaction and ends it with its signed dataset under the CSMS transactionId; extra deliveries as MeterValues', async () => {
    const server = await csms();
    servers.push(server);
    const { manifest, frames } = await run('1.6', server);
    const messages = expectedMessages();
    const datasets = messages.filter((m): m is OcmfDatasetMessage => m.kind === 'ocmf-dataset');
    expect(datasets.length).toBe(manifest.counts.deliveredDatasetMessages);
    expect(manifest.expected.duplicates.length + manifest.expected.conflicts.length).toBeGreaterThan(0);
    // Every frame reached the strict CSMS as sent, once.
    expect(server.received.map((r) => r.text)).toEqual(frames.map((f) => f.frame));
    expect(frames.every((f) => f.sends === 1)).toBe(true);
    const boots = frames.filter((f) => f.action === 'BootNotification');
    expect(boots.map((f) => f.identity).sort()).toEqual(manifest.registry.map((r) => r.stationId));

    // Each dataset message is carried by exactly one frame, whose signed value is the dataset byte for byte.
    for (const d of datasets) {
      const carriers = frames.filter((f) => f.carries === d.messageId);
      expect(carriers).toHaveLength(1);
      const [, , action, payload] = parse(carriers[0].frame);
      const meterValues = (action === 'StopTransaction' ? payload.transactionData : payload.meterValue) as { sampledValue: { value: string; format: string }[] }[];
      const sv = meterValues[0].sampledValue[0];
      expect(sv.format).toBe('SignedData');
      const inner = JSON.parse(sv.value) as { signedMeterValue: string; encodingMethod: string };
      expect(inner.encodingMethod).toBe('OCMF');
      expect(Buffer.from(inner.signedMeterValue, 'base64').toString('utf8')).toBe(d.ocmf);
      expect(carriers[0].identity).toBe(d.stationId);
    }
    // A StopTransaction uses the transactionId its StartTransaction was given (4711, 4712, …).
    const starts = frames.filter((f) => f.action === 'StartTransaction');
    const stops = frames.filter((f) => f.action === 'StopTransaction');
    expect(stops).toHaveLength(starts.length);
    expect(stops.map((f) => parse(f.frame)[3].transactionId).sort()).toEqual(starts.map((_, i) => 4711 + i).sort());
    const extra = frames.filter((f) => f.action === 'MeterValues');
    expect(extra.length).toBe(datasets.length - stops.length);
    expect(extra.every((f) => stops.some((s) => parse(s.frame)[3].transactionId === parse(f.frame)[3].transactionId && s.identity === f.identity))).toBe(true);
    // Log entries as SecurityEventNotification, faults as StatusNotification.
    expect(frames.filter((f) => f.action === 'SecurityEventNotification')).toHaveLength(manifest.counts.logEntries);
    expect(frames.filter((f) => f.action === 'StatusNotification')).toHaveLength(manifest.counts.faultMessages);
    expect(manifest.counts.faultMessages).toBeGreaterThan(0);
    // The manifest is the simulator's own for the same run.
    expect(messages.map((m) => serializeMessage(m)).length).toBe(manifest.counts.messages);
  }, 60_000);

  it('2.0.1: TransactionEvent Started, Updated, Ended with seqNo 0, 1, 2 and the dataset as SignedMeterValueType', async () => {
    const server = await csms();
    servers.push(server);
    const { manifest, frames } = await run('2.0.1', server);
    const ended = frames.filter((f) => f.action === 'TransactionEvent' && parse(f.frame)[3].eventType === 'Ended');
    expect(ended.length).toBeGreaterThan(0);
    for (const e of ended) {
      const tx = (parse(e.frame)[3].transactionInfo as { transactionId: string }).transactionId;
      const events = frames.filter((f) => f.identity === e.identity && f.action === 'TransactionEvent' && (parse(f.frame)[3].transactionInfo as { transactionId: string }).transactionId === tx);
      expect(events.map((f) => [parse(f.frame)[3].eventType, parse(f.frame)[3].seqNo])).toEqual([
        ['Started', 0],
        ['Updated', 1],
        ['Ended', 2],
      ]);
      const smv = (parse(e.frame)[3].meterValue as { sampledValue: { signedMeterValue: { signedMeterData: string; signingMethod: string } }[] }[])[0].sampledValue[0].signedMeterValue;
      expect(smv.signingMethod).toBe('ECDSA-secp384r1-SHA256');
      expect(Buffer.from(smv.signedMeterData, 'base64').toString('utf8')).toMatch(/^OCMF\|/);
      expect(e.carries).toMatch(/:ocmf:/);
    }
    expect(frames.filter((f) => f.carries?.includes(':ocmf:'))).toHaveLength(manifest.counts.deliveredDatasetMessages);
    expect(frames.filter((f) => f.action === 'NotifyEvent')).toHaveLength(manifest.counts.faultMessages);
    expect(manifest.counts.faultMessages).toBeGreaterThan(0);
  }, 60_000);

  it('keeps a CALL that got no answer and sends the same text under the same id after reconnecting', async () => {
    let dropped = 0;
    const server = await csms({
      on: (_id, frame, close) => {
        if (frame[2] === 'StopTransaction' && dropped === 0) {
          dropped++;
          close();
          return 'drop';
        }
        return undefined as never;
      },
    });
    servers.push(server);
    const { frames } = await run('1.6', server);
    const resent = frames.filter((f) => f.sends === 2);
    expect(resent).toHaveLength(1);
    expect(resent[0].action).toBe('StopTransaction');
    const first = frames.find((f) => f.ocppMessageId === resent[0].ocppMessageId && f.sends === 1)!;
    expect(resent[0].frame).toBe(first.frame);
    expect(resent[0].carries).toBe(first.carries);
    expect(server.received.filter((r) => r.text === first.frame)).toHaveLength(2);
  }, 60_000);

  it('sends a CALL again after the edge answers InternalError (its Kafka did not take the frame)', async () => {
    let failed = 0;
    const server = await csms({
      on: (_id, frame) => (frame[2] === 'StopTransaction' && failed++ === 0 ? createRPCError('InternalError', 'not stored') : (undefined as never)),
    });
    servers.push(server);
    const { frames } = await run('1.6', server);
    const resent = frames.filter((f) => f.sends > 1);
    expect(resent.map((f) => [f.action, f.sends])).toEqual([['StopTransaction', 2]]);
    expect(resent[0].frame).toBe(frames.find((f) => f.ocppMessageId === resent[0].ocppMessageId && f.sends === 1)!.frame);
  }, 60_000);

  it('says plainly when the edge refuses a station at the handshake', async () => {
    const server = await csms({ refuse: true });
    servers.push(server);
    await expect(run('1.6', server)).rejects.toThrow(OcppConnectionFailed);
    await expect(run('1.6', server)).rejects.toThrow(/the edge refused CP-00000\d's connection: HTTP 401 Unauthorized/);
    await server.close();
    await expect(run('1.6', server, { maxConnectAttempts: 3 })).rejects.toThrow(/CP-00000\d could not reach the edge at ws:\/\/127\.0\.0\.1:\d+: .*ECONNREFUSED.* \(after 3 attempts\)/);
  }, 60_000);

  it('tries the first connection of each station again with the back-off while the edge cannot be reached or answers 5xx, then runs', async () => {
    const free = createServer();
    await new Promise<void>((r) => free.listen(0, '127.0.0.1', r));
    const port = (free.address() as AddressInfo).port;
    await new Promise((r) => free.close(r));
    // Nothing listens yet: the stations' first connections are refused.
    const running = run('1.6', { url: `ws://127.0.0.1:${port}` });
    await new Promise((r) => setTimeout(r, 300));
    // Then an edge whose CSMS is away (502) for a while, then one that serves.
    const away = await csms({ port, status: 502 });
    await new Promise((r) => setTimeout(r, 300));
    await away.close();
    expect(away.handshakes()).toBeGreaterThanOrEqual(simulation.stations);
    const server = await csms({ port });
    servers.push(server);
    const { manifest, frames } = await running;
    expect(frames.filter((f) => f.action === 'BootNotification').map((f) => f.identity).sort()).toEqual(manifest.registry.map((r) => r.stationId));
    expect(new Set(server.received.filter((r) => parse(r.text)[2] === 'BootNotification').map((r) => r.identity)).size).toBe(simulation.stations);
  }, 60_000);
});
