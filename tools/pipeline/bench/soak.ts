// Soak: `npm run --silent fuzz -- --soak 10m` (or `tsx tools/pipeline/bench/soak.ts --duration 10m`).
// Steady traffic for the given time through the built services: OCPP 1.6 stations (ocpp-rpc clients,
// security profile 1) connect to the edge, boot, send signed MeterValues and disconnect, again and
// again (connections churning), edge → Kafka → ingest → PostgreSQL, while an auditor reads through
// the query service. Every 5 s the resident memory of each process is sampled from /proc. At the end
// it prints each process's RSS (and anonymous RSS) at start and end and the fitted growth of the
// anonymous RSS after the warm-up, checks that
// every dataset sent is recorded valid, and exits 1 when a process grows without bound (see
// src/memoryGrowth.ts), died, or a dataset is missing. Needs the broker of scripts/kafka.sh and the
// local PostgreSQL; `npm run build` first.
import type { ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { RPCClient } from 'ocpp-rpc';
import { Ledger } from '@metrology-ledger/ledger';
import { signOcmf } from '@metrology-ledger/ocmf';
import { PasswordHash, StationRegistry } from '@metrology-ledger/ocpp-edge';
import { ensureKafka, KafkaPipelineHarness } from '../src/KafkaPipelineHarness';
import { memoryGrowth, type RssSample } from '../src/memoryGrowth';

const { values } = parseArgs({ options: { duration: { type: 'string', default: '10m' }, seed: { type: 'string' }, stations: { type: 'string', default: '20' }, rate: { type: 'string', default: '40' }, 'service-heap-mb': { type: 'string' } }, strict: false });
const m = /^(\d+(?:\.\d+)?)(s|m|h)$/.exec(String(values.duration));
if (!m) {
  process.stderr.write('usage: --duration <number>(s|m|h), e.g. 10m\n');
  process.exit(2);
}
const durationS = Number(m[1]) * { s: 1, m: 60, h: 3600 }[m[2] as 's' | 'm' | 'h'];
const STATIONS = Number(values.stations);
/** MeterValues per second over all stations. */
const RATE = Number(values.rate);
const FRAMES_PER_CONNECTION = 5;
/**
 * `--service-heap-mb N`: the services run with `--max-old-space-size=N`, so V8 collects before its
 * heap has grown far: growth that stays is then retained memory, not garbage waiting for a collection.
 */
const serviceEnv: Record<string, string> = values['service-heap-mb'] === undefined ? {} : { NODE_OPTIONS: `--max-old-space-size=${Number(values['service-heap-mb'])}` };

/** Resident memory from /proc: all of it (VmRSS), and the anonymous part (RssAnon: heaps, not mapped files or libraries). */
function residentOf(pid: number): { rss: number; anon: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kB = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
  return { rss: kB('VmRSS'), anon: kB('RssAnon') };
}
const MiB = (b: number) => Math.round((b / 1024 / 1024) * 10) / 10;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<number> {
  ensureKafka();
  const h = new KafkaPipelineHarness();
  const dir = mkdtempSync(join(tmpdir(), 'soak-'));
  try {
    await h.prepareEmpty();
    const ledger = new Ledger(h.store);
    const stations = Array.from({ length: STATIONS }, (_, i) => {
      const pair = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      return { id: `CP-SOAK-${i}-${h.suffix}`, password: `soak-${randomBytes(12).toString('hex')}`, key: pair.privateKey as KeyObject, publicKey: pair.publicKey.export({ format: 'der', type: 'spki' }).toString('hex'), counter: 0 };
    });
    let registry = StationRegistry.empty();
    for (const s of stations) {
      await ledger.registerKey({ stationId: s.id, publicKey: s.publicKey, validFrom: '2025-01-01T00:00:00Z' });
      registry = registry.with({ identity: s.id, password: await PasswordHash.create(s.password, { N: 1024, r: 8, p: 1 }) });
    }
    const stationsFile = join(dir, 'stations.json');
    writeFileSync(stationsFile, registry.toFileText(), { mode: 0o600 });
    const auditor = `soak-auditor-${randomBytes(12).toString('hex')}`;
    const ingest = h.startIngest({ env: { LOG_LEVEL: 'warn', ...serviceEnv } });
    const query = await h.startQuery(`${auditor}=auditor`, { env: { LOG_LEVEL: 'warn', ...serviceEnv } });
    const edge = await h.startEdge({ EDGE_MODE: 'standalone', EDGE_SECURITY_PROFILES: '1', EDGE_ALLOW_SP1: 'true', EDGE_STATIONS_FILE: stationsFile, EDGE_INSTANCE_ID: 'edge-soak', ...serviceEnv });
    const processes: { name: string; child: ChildProcess }[] = [
      { name: 'ocpp-edge', child: edge.child },
      { name: 'ingest', child: ingest },
      { name: 'query', child: query.child },
    ];
    // `rss` is VmRSS; the growth is judged on RssAnon: pages of mapped files (the query's SQLite read
    // model, WAL shared memory, libraries) are the kernel's cache and grow with the data on disk.
    const samples = new Map<string, (RssSample & { anon: number })[]>(processes.map((p) => [p.name, []]));
    const started = Date.now();
    const sample = () => {
      for (const p of processes) if (p.child.exitCode === null) {
          const r = residentOf(p.child.pid!);
          samples.get(p.name)!.push({ t: (Date.now() - started) / 1000, rss: r.rss, anon: r.anon });
        }
    };
    sample();
    const sampler = setInterval(sample, 5_000);

    let sent = 0;
    let connections = 0;
    let failures = 0;
    const until = started + durationS * 1000;
    const perStationGapMs = (STATIONS * 1000) / RATE;
    const stationLoop = async (s: (typeof stations)[number], offsetMs: number) => {
      await sleep(offsetMs);
      while (Date.now() < until) {
        const client = new RPCClient({ endpoint: `ws://127.0.0.1:${edge.port}/ocpp`, identity: s.id, protocols: ['ocpp1.6'], password: s.password, reconnect: false, strictMode: true, callTimeoutMs: 30_000 } as never);
        try {
          await client.connect();
          connections++;
          await client.call('BootNotification', { chargePointVendor: 'Soak', chargePointModel: 'CP800' });
          for (let i = 0; i < FRAMES_PER_CONNECTION && Date.now() < until; i++) {
            const counter = ++s.counter;
            const payload = `{"FV":"1.0","PG":"T${counter}","MS":"SOAK","IS":false,"IT":"NONE","RD":[{"TX":"B","TM":"2025-06-03T07:48:45,000+0000 S","RV":${counter},"RI":"1-b:1.8.0","RU":"kWh","ST":"G"},{"TX":"E","TM":"2025-06-03T08:48:45,000+0000 S","RV":${counter + 1},"RI":"1-b:1.8.0","RU":"kWh","ST":"G"}]}`;
            const ocmf = signOcmf(payload, s.key, { algorithm: 'ECDSA-secp256r1-SHA256' });
            await client.call('MeterValues', { connectorId: 1, meterValue: [{ timestamp: new Date().toISOString(), sampledValue: [{ value: ocmf, format: 'SignedData' }] }] });
            sent++;
            await sleep(perStationGapMs);
          }
        } catch (e) {
          failures++;
          process.stderr.write(`soak: station ${s.id}: ${(e as Error).message}\n`);
          await sleep(1000);
        } finally {
          await client.close({ force: true }).catch(() => undefined);
        }
      }
    };
    const reader = async () => {
      while (Date.now() < until) {
        const s = stations[Math.floor(Math.random() * stations.length)];
        await fetch(`${query.url}/auditor/stations/${s.id}/gaps`, { headers: { Authorization: `Bearer ${auditor}` } }).catch(() => undefined);
        await sleep(1000);
      }
    };
    const progress = setInterval(() => process.stderr.write(`soak: ${Math.round((Date.now() - started) / 1000)} s, ${sent} datasets sent, ${connections} connections\n`), 30_000);
    await Promise.all([...stations.map((s, i) => stationLoop(s, (i * perStationGapMs) / STATIONS)), reader()]);
    clearInterval(progress);
    // Growth is judged on the samples taken under traffic; the wait for ingest to catch up is not load.
    const trafficEndS = (Date.now() - started) / 1000;

    // Every dataset sent is recorded valid (ingest catches up first).
    const recordedOf = async () => {
      let n = 0;
      for (const s of stations) for (const stream of await ledger.datasetStreams(s.id)) for await (const { event } of ledger.eventsOf(stream)) if (event.type === 'DatasetRecorded') n++;
      return n;
    };
    let recorded = 0;
    for (const deadline = Date.now() + 120_000; Date.now() < deadline; await sleep(1000)) if ((recorded = await recordedOf()) >= sent) break;
    sample();
    clearInterval(sampler);

    const rows = processes.map((p) => {
      const s = samples.get(p.name)!;
      const g = memoryGrowth(s.filter((x) => x.t <= trafficEndS).map((x) => ({ t: x.t, rss: x.anon })));
      return { process: p.name, alive: p.child.exitCode === null, rssStartMiB: MiB(s[0]?.rss ?? 0), rssEndMiB: MiB(s[s.length - 1]?.rss ?? 0), rssMaxMiB: MiB(Math.max(...s.map((x) => x.rss))), anonStartMiB: MiB(s[0]?.anon ?? 0), anonEndMiB: MiB(s[s.length - 1]?.anon ?? 0), anonSlopeMiBPerHour: MiB(g.slopePerHour), anonSecondHalfSlopeMiBPerHour: MiB(g.secondHalfSlopePerHour), limitMiBPerHour: MiB(g.limitPerHour), samples: s.length, grows: g.grows };
    });
    console.table(rows);
    const ok = rows.every((r) => r.alive && !r.grows) && recorded === sent && sent > 0;
    process.stdout.write(`${JSON.stringify({ soak: `${durationS}s`, stations: STATIONS, rate: RATE, serviceEnv, datasetsSent: sent, datasetsRecorded: recorded, connections, stationFailures: failures, processes: rows, ok })}\n`);
    return ok ? 0 : 1;
  } finally {
    await h.cleanup();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`soak failed: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
