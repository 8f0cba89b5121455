import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FleetSimulator, parseFaultSpec, type FaultSpec, type OcmfDatasetMessage, type OcppFrameSent, type SimulationManifest } from '@metrology-ledger/cp800-model';
import { Ledger } from '@metrology-ledger/ledger';
import { PasswordHash, StationRegistry } from '@metrology-ledger/ocpp-edge';
import { ensureKafka, KafkaPipelineHarness } from './KafkaPipelineHarness';
import { ocppReceiptIds } from './ocppReceiptIds';
import { reconcileWithManifest } from './reconcileWithManifest';
import { runBuiltSimulator } from './testing/runBuiltSimulator';
import { TestCertificates } from './testing/TestCertificates';

// The simulated fleet over OCPP, end to end on the built services: the simulator CLI
// (libs/cp800-model/dist, `sim --ocpp`) → the edge (standalone, TLS) → Kafka `ocpp-frames` → ingest →
// the ledger in PostgreSQL → query, equal to the simulator's manifest: datasets byte for byte, gaps,
// duplicates, conflicts and rejections. OCPP 1.6 over security profile 2 (basic auth) and 2.0.1 over
// profile 3 (client certificates), three stations over two days each, with every delivery fault.
// A third run (1.6, profile 1 over plain ws) goes through a TCP relay that cuts the connection
// instead of passing on the edge's answer to the first StopTransaction: the station reconnects and
// sends the same frame again, the edge stores it twice, and the ledger still holds it once.

const STATIONS = 3;
const DAYS = 2;
const START = '2025-05-01';
const FAULTS = 'drop=0.08,duplicate=0.08,reorder=0.06,delay=0.05,tamper=0.06,wrongKey=0.05,conflict=0.06,clockUnsync=0.01,firmware=0.003,stationFault=0.01,keyReplace=0.3';
const AUDITOR = `ocpp-fleet-auditor-${randomBytes(8).toString('hex')}`;

beforeAll(() => ensureKafka());

const stationIds = Array.from({ length: STATIONS }, (_, i) => `CP-${String(i + 1).padStart(6, '0')}`);

/** The simulator CLI from its build output; every frame sent and the three stations connected. */
async function runSimulator(args: string[]): Promise<void> {
  expect(await runBuiltSimulator(args)).toMatch(/simulating: 100% .* frames sent, 3 stations connected/);
}

/** The text frames a WebSocket client sent (masked, RFC 6455 5.2), from the bytes after the HTTP upgrade; the rest waits for more bytes. */
function clientTextFrames(buf: Buffer): { texts: string[]; rest: Buffer } {
  const texts: string[] = [];
  for (;;) {
    if (buf.length < 2) break;
    let len = buf[1] & 0x7f;
    let off = 2;
    if (len === 126) [len, off] = buf.length >= 4 ? [buf.readUInt16BE(2), 4] : [Infinity, 0];
    else if (len === 127) [len, off] = buf.length >= 10 ? [Number(buf.readBigUInt64BE(2)), 10] : [Infinity, 0];
    const masked = (buf[1] & 0x80) !== 0;
    const start = off + (masked ? 4 : 0);
    if (buf.length < start + len) break;
    const payload = Buffer.from(buf.subarray(start, start + len));
    if (masked) for (let i = 0; i < payload.length; i++) payload[i] ^= buf[off + (i % 4)];
    if ((buf[0] & 0x0f) === 1) texts.push(payload.toString('utf8'));
    buf = buf.subarray(start + len);
  }
  return { texts, rest: buf };
}

/**
 * A TCP relay to the edge over plain ws that, once, closes both sides instead of passing on the
 * edge's answer to the first StopTransaction a station sends (found by its OCPP message id).
 */
async function relayCuttingFirstStopAnswer(edgePort: number): Promise<{ port: number; server: Server; cuts: () => number }> {
  let cuts = 0;
  let stopId: string | undefined;
  const server = createServer((station) => {
    const edge = connect(edgePort, '127.0.0.1');
    let pending: Buffer = Buffer.alloc(0);
    let upgraded = false;
    station.on('data', (chunk: Buffer) => {
      edge.write(chunk);
      pending = Buffer.concat([pending, chunk]);
      if (!upgraded) {
        const end = pending.indexOf('\r\n\r\n');
        if (end < 0) return;
        upgraded = true;
        pending = pending.subarray(end + 4);
      }
      const { texts, rest } = clientTextFrames(pending);
      pending = rest;
      for (const t of texts) if (stopId === undefined && t.startsWith('[2,') && JSON.parse(t)[2] === 'StopTransaction') stopId = String(JSON.parse(t)[1]);
    });
    edge.on('data', (chunk: Buffer) => {
      if (cuts === 0 && stopId !== undefined && chunk.includes(`[3,"${stopId}"`)) {
        cuts++;
        station.destroy();
        edge.destroy();
        return;
      }
      station.write(chunk);
    });
    edge.on('close', () => station.destroy());
    station.on('close', () => edge.destroy());
    edge.on('error', () => station.destroy());
    station.on('error', () => edge.destroy());
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { port: (server.address() as AddressInfo).port, server, cuts: () => cuts };
}

describe.each([
  { version: '1.6' as const, profile: 2 as const, seed: 23, relay: false },
  { version: '2.0.1' as const, profile: 3 as const, seed: 9, relay: false },
  { version: '1.6' as const, profile: 1 as const, seed: 23, relay: true },
])('simulated stations over OCPP $version, security profile $profile (relay cutting a connection: $relay) → built edge → Kafka → built ingest → PostgreSQL → built query', ({ version, profile, seed, relay }) => {
  const h = new KafkaPipelineHarness();
  const dir = mkdtempSync(join(tmpdir(), 'ocpp-fleet-'));
  let relayServer: Server | undefined;

  afterAll(async () => {
    relayServer?.close();
    await h.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('leaves the ledger equal to the simulator manifest', async () => {
    await h.prepareEmpty();
    const tls = new TestCertificates(dir);
    // The edge's stations file: a password per station (profiles 1, 2) or none, a certificate (profile 3).
    let registry = StationRegistry.empty();
    const passwords: Record<string, string> = {};
    for (const id of stationIds) {
      if (profile !== 3) {
        passwords[id] = `pw-${randomBytes(12).toString('hex')}`;
        registry = registry.with({ identity: id, password: await PasswordHash.create(passwords[id], { N: 1024, r: 8, p: 1 }) });
      } else {
        tls.station(id);
        registry = registry.with({ identity: id });
      }
    }
    const stationsFile = join(dir, 'stations.json');
    writeFileSync(stationsFile, registry.toFileText(), { mode: 0o600 });
    const passwordsFile = join(dir, 'passwords.json');
    writeFileSync(passwordsFile, JSON.stringify(passwords), { mode: 0o600 });
    const edge = await h.startEdge({
      EDGE_MODE: 'standalone',
      EDGE_SECURITY_PROFILES: String(profile),
      EDGE_STATIONS_FILE: stationsFile,
      ...(profile === 1 ? { EDGE_ALLOW_SP1: 'true' } : { EDGE_TLS_CERT: tls.certFile, EDGE_TLS_KEY: tls.keyFile }),
      ...(profile === 3 ? { EDGE_TLS_CA: tls.caFile } : {}),
      EDGE_INSTANCE_ID: `edge-fleet-${version}`,
    });
    const cutter = relay ? await relayCuttingFirstStopAnswer(edge.port) : undefined;
    relayServer = cutter?.server;
    const endpoint = profile === 1 ? `ws://127.0.0.1:${cutter?.port ?? edge.port}` : `wss://localhost:${edge.port}`;

    // The fleet over OCPP; the CLI writes the frames it sent and the manifest.
    const framesFile = join(dir, 'frames.jsonl');
    const manifestFile = join(dir, 'manifest.json');
    const credentials = profile !== 3 ? ['--passwords', passwordsFile] : ['--client-cert', join(dir, '{stationId}.crt'), '--client-key', join(dir, '{stationId}.key')];
    await runSimulator([
      '--stations', String(STATIONS), '--days', String(DAYS), '--seed', String(seed), '--start', START, '--faults', FAULTS, '--signing', 'rfc6979',
      '--out', framesFile, '--manifest', manifestFile,
      '--ocpp', endpoint, '--ocpp-version', version, '--security-profile', String(profile), ...(profile === 1 ? [] : ['--ca', tls.caFile]), ...credentials, '--concurrency', '3',
    ]);
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as SimulationManifest;
    const frames = readFileSync(framesFile, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as OcppFrameSent);

    // The same run in process (deterministic signatures under rfc6979): the datasets as the simulator signed them.
    const faults = parseFaultSpec(FAULTS) as { ok: true; spec: FaultSpec };
    const sim = new FleetSimulator({ stations: STATIONS, days: DAYS, seed, start: Date.parse(`${START}T00:00:00Z`), faults: faults.spec, signing: 'rfc6979' });
    const datasets = [...sim.days()].flat().filter((m): m is OcmfDatasetMessage => m.kind === 'ocmf-dataset');
    const asSets = (e: SimulationManifest['expected']) => Object.entries(e).map(([k, list]) => [k, (list as unknown[]).map((x) => JSON.stringify(x)).sort()]);
    expect(asSets(sim.manifest.expected)).toEqual(asSets(manifest.expected));
    const delivered = new Map(datasets.map((d) => [d.messageId, d.ocmf]));
    // Every delivery fault is in this run, and every dataset message went out in exactly one frame.
    const kinds = new Set(manifest.injected.map((i) => i.kind));
    expect(['drop', 'duplicate', 'reorder', 'tamper', 'wrongKey', 'conflict', 'keyReplace'].filter((k) => !kinds.has(k as never))).toEqual([]);
    const carriers = frames.filter((f) => f.sends === 1 && f.carries?.includes(':ocmf:'));
    expect(carriers.map((f) => f.carries).sort()).toEqual(datasets.map((d) => d.messageId).sort());

    // The keys the operator registers, then ingest reads the topic from its start.
    const ledger = new Ledger(h.store);
    await ledger.registerKeys(manifest.registry);
    const ingest = h.startIngest();
    const viaOcpp = ocppReceiptIds(frames);
    await h.waitFor(async () => (await reconcileWithManifest(ledger, manifest, delivered, viaOcpp)).counts.messagesAccounted >= manifest.counts.deliveredDatasetMessages, ingest);
    const reconciled = await reconcileWithManifest(ledger, manifest, delivered, viaOcpp);
    expect(reconciled.differences).toEqual([]);
    expect(reconciled.counts).toMatchObject({
      duplicates: manifest.expected.duplicates.length,
      conflicts: manifest.expected.conflicts.length,
      rejections: manifest.expected.rejections.length,
      logEntries: 0,
      faults: 0,
    });
    expect(reconciled.counts.openGaps).toBeGreaterThan(0);
    // Every recorded dataset carries the transaction of the frame it came in (1.6: the id the edge assigned).
    const frameOf = new Map(carriers.map((f) => [`${f.identity}:${f.ocppMessageId}#0`, JSON.parse(f.frame)[3] as { transactionId?: number; transactionInfo?: { transactionId: string } }]));
    let recorded = 0;
    for (const s of manifest.registry) {
      for (const stream of await ledger.datasetStreams(s.stationId)) {
        for await (const { event } of ledger.eventsOf(stream)) {
          if (event.type !== 'DatasetRecorded') continue;
          const payload = frameOf.get(event.data.receipt.messageId)!;
          expect(event.data.transactionId).toBe(payload.transactionId !== undefined ? String(payload.transactionId) : payload.transactionInfo?.transactionId);
          recorded++;
        }
      }
    }
    expect(recorded).toBe(reconciled.counts.datasetsRecorded);

    if (cutter) {
      // The cut answer: the station sent the same StopTransaction again (same id, same text) after
      // reconnecting; the edge stored both sends; the ledger above holds it once.
      expect(cutter.cuts()).toBe(1);
      const resent = frames.filter((f) => f.sends > 1);
      expect(resent.map((f) => [f.action, f.sends])).toEqual([['StopTransaction', 2]]);
      expect(resent[0].frame).toBe(frames.find((f) => f.ocppMessageId === resent[0].ocppMessageId && f.sends === 1)!.frame);
      const stored = (await h.framesOf(resent[0].identity)).filter((r) => r.messageId === `${resent[0].identity}:${resent[0].ocppMessageId}`);
      expect(stored.map((r) => r.frame)).toEqual([resent[0].frame, resent[0].frame]);
      return;
    }

    // The built query answers the auditor from the same ledger: rejections and open gaps per station.
    const { url } = await h.startQuery(`${AUDITOR}=auditor`);
    const get = async (path: string) => (await fetch(`${url}${path}`, { headers: { Authorization: `Bearer ${AUDITOR}` } })).json();
    let gaps = 0;
    for (const s of manifest.registry) {
      const rejections = (await get(`/auditor/stations/${s.stationId}/rejections?limit=100`)) as { items: { code: string }[] };
      expect(rejections.items.filter((r) => r.code === 'invalid-signature')).toHaveLength(manifest.expected.rejections.filter((r) => r.stationId === s.stationId).length);
      for (const stream of (await get(`/auditor/stations/${s.stationId}/gaps`)) as { gaps: { from: string; to: string }[] }[]) for (const r of stream.gaps) gaps += Number(r.to) - Number(r.from) + 1;
    }
    expect(gaps).toBe(reconciled.counts.openGaps);
  }, 240_000);
});
