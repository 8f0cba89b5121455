// Benchmark of the OCPP edge, run from its build output (`npm run build` first; the bench script does it):
//   1. concurrent stations held by one edge process (TLS, security profile 2), memory per connection;
//   2. p50/p99 from CALL to CALLRESULT for MeterValues at a fixed rate, the Kafka acknowledgement included;
//   3. metering frames per second with many stations sending at once.
// The same runs against a bare WebSocket server in the same run (Node https + ws, same certificate,
// answers every CALL with an empty CALLRESULT: no validation, no Kafka), as the floor.
// Needs the Kafka broker (scripts/kafka.sh start); makes its own topic and deletes it.
// Settings: BENCH_STATIONS (10000), BENCH_RATE (frames/s, 1000), BENCH_SECONDS (20), BENCH_BURST_SECONDS (10).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Kafka, logLevel } from 'kafkajs';
import { RPCClient } from 'ocpp-rpc';
import { PasswordHash } from '../src/domain/PasswordHash';
import { TestPki } from '../src/testing/TestPki';

const repo = resolve(__dirname, '..', '..', '..');
const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:19092';
const STATIONS = Number(process.env.BENCH_STATIONS ?? 10_000);
const RATE = Number(process.env.BENCH_RATE ?? 1_000);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const BURST_SECONDS = Number(process.env.BENCH_BURST_SECONDS ?? 10);
const CONNECT_CONCURRENCY = 64;
const PASSWORD = 'bench-station-password-01';

const meterValues = (n: number) => ({
  connectorId: 1,
  transactionId: 1000 + n,
  meterValue: [
    {
      timestamp: new Date().toISOString(),
      sampledValue: [
        {
          value: `OCMF|{"FV":"1.0","GI":"KEBA_KCP30","GS":"17619300","GV":"2.8.5","PG":"T${n}","MV":"Phoenix Contact","MM":"EEM-350-D-MCB","MS":"BQ27400330016","MF":"1.0","IS":true,"IL":"VERIFIED","IF":["RFID_PLAIN","OCPP_RS_TLS"],"IT":"ISO14443","ID":"1F2D3A4B5C6D7E","RD":[{"TM":"2025-01-01T10:00:00,000+0000 S","TX":"B","RV":2935.6,"RI":"1-b:1.8.0","RU":"kWh","RT":"AC","EF":"","ST":"G"}]}|{"SD":"304502200E2F107C987A300AC1695CA89EA149A8CDFA16188AF0A33EE64B67964AA943F9022100889A72B6D65364BEa8562E7F6A0253157ACFF84FE4929A93B5964D23C4265699"}`,
          format: 'SignedData',
          context: 'Sample.Periodic',
          measurand: 'Energy.Active.Import.Register',
        },
      ],
    },
  ],
});

/** Resident memory of a process, bytes (from /proc). */
function rss(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** CPU seconds (user + system) of a process so far (from /proc). */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function percentile(sorted: number[], p: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

interface Server {
  name: string;
  child: ChildProcess;
  port: number;
  output(): string;
}

/** Starts a child process and waits for `pattern` (its first group: the port) in its output. */
async function startChild(name: string, args: string[], env: Record<string, string>, pattern: RegExp): Promise<Server> {
  const child = spawn(process.execPath, args, { cwd: repo, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const onData = (d: Buffer) => {
    if (out.length < 100_000) out += d.toString();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const until = Date.now() + 60_000;
  for (;;) {
    const m = out.replace(/\x1b\[[0-9;]*m/g, '').match(pattern); // eslint-disable-line no-control-regex
    if (m) return { name, child, port: Number(m[1]), output: () => out };
    if (child.exitCode !== null || Date.now() > until) throw new Error(`${name} did not start:\n${out}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The floor: a bare WebSocket server over the same TLS, answering every CALL with an empty CALLRESULT. */
const BARE_SERVER = `
const https = require('node:https'); const fs = require('node:fs'); const { WebSocketServer } = require('ws');
const server = https.createServer({ cert: fs.readFileSync(process.env.CERT), key: fs.readFileSync(process.env.KEY), minVersion: 'TLSv1.2' });
const wss = new WebSocketServer({ server, maxPayload: 65536, handleProtocols: (p) => (p.has('ocpp1.6') ? 'ocpp1.6' : false) });
wss.on('connection', (ws) => ws.on('message', (data) => { const m = JSON.parse(data.toString()); ws.send(JSON.stringify([3, m[1], {}])); }));
server.listen(0, '127.0.0.1', () => console.log('bare listening on ' + server.address().port));
process.on('SIGTERM', () => process.exit(0));`;

async function connectAll(port: number, ca: string): Promise<RPCClient[]> {
  const clients: RPCClient[] = new Array(STATIONS);
  let next = 0;
  const worker = async () => {
    while (next < STATIONS) {
      const i = next++;
      const c = new RPCClient({
        endpoint: `wss://localhost:${port}/ocpp`,
        identity: `BENCH-${String(i).padStart(6, '0')}`,
        protocols: ['ocpp1.6'],
        password: PASSWORD,
        reconnect: false,
        pingIntervalMs: 0,
        callTimeoutMs: 60_000,
        wsOpts: { ca, minVersion: 'TLSv1.2' },
      } as never);
      await c.connect();
      clients[i] = c;
    }
  };
  await Promise.all(Array.from({ length: CONNECT_CONCURRENCY }, worker));
  return clients;
}

/** Open loop: RATE calls per second spread over the stations; latency of each, CALL to CALLRESULT. */
async function fixedRate(clients: RPCClient[], seconds: number): Promise<{ sorted: number[]; errors: number; sent: number }> {
  const latencies: number[] = [];
  let errors = 0;
  let sent = 0;
  let station = 0;
  const pending: Promise<void>[] = [];
  const tickMs = 10;
  const perTick = RATE / (1000 / tickMs);
  let carry = 0;
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  let ticks = 0;
  while (performance.now() < end) {
    carry += perTick;
    while (carry >= 1) {
      carry--;
      const c = clients[station++ % clients.length];
      const t0 = performance.now();
      sent++;
      pending.push(
        c.call('MeterValues', meterValues(sent)).then(
          () => void latencies.push(performance.now() - t0),
          () => void errors++,
        ),
      );
    }
    ticks++;
    const wait = start + ticks * tickMs - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  }
  await Promise.all(pending);
  return { sorted: latencies.sort((a, b) => a - b), errors, sent };
}

/** Closed loop: `concurrent` stations each send the next frame as soon as the last is answered. */
async function burst(clients: RPCClient[], concurrent: number): Promise<{ perSecond: number; errors: number }> {
  let done = 0;
  let errors = 0;
  const end = performance.now() + BURST_SECONDS * 1000;
  const start = performance.now();
  await Promise.all(
    clients.slice(0, concurrent).map(async (c, i) => {
      let n = 0;
      while (performance.now() < end) {
        await c.call('MeterValues', meterValues(i * 1_000_000 + n++)).then(
          () => void done++,
          () => void errors++,
        );
      }
    }),
  );
  return { perSecond: done / ((performance.now() - start) / 1000), errors };
}

async function measure(server: Server, ca: string) {
  const before = rss(server.child.pid!);
  const t0 = performance.now();
  const clients = await connectAll(server.port, ca);
  const connectS = (performance.now() - t0) / 1000;
  await new Promise((r) => setTimeout(r, 3_000));
  const held = rss(server.child.pid!);
  process.stdout.write(`  ${server.name}: ${STATIONS} connections in ${connectS.toFixed(1)} s; RSS ${(before / 2 ** 20).toFixed(0)} -> ${(held / 2 ** 20).toFixed(0)} MiB\n`);
  await fixedRate(clients, 3); // warm-up, not counted (JIT, first Kafka requests)
  const cpu0 = cpuSeconds(server.child.pid!);
  const rate = await fixedRate(clients, SECONDS);
  const cpuShare = (cpuSeconds(server.child.pid!) - cpu0) / SECONDS;
  process.stdout.write(`  ${server.name}: ${rate.sent} frames at ${RATE}/s, p50 ${percentile(rate.sorted, 50).toFixed(1)} ms, p99 ${percentile(rate.sorted, 99).toFixed(1)} ms\n`);
  const b = await burst(clients, Math.min(200, clients.length));
  await Promise.all(clients.map((c) => c.close({ force: true }).catch(() => undefined)));
  return {
    connectS,
    perConnection: (held - before) / STATIONS,
    heldMiB: held / 2 ** 20,
    p50: percentile(rate.sorted, 50),
    p99: percentile(rate.sorted, 99),
    max: rate.sorted.at(-1) ?? NaN,
    errors: rate.errors + b.errors,
    cpuShare,
    perSecond: b.perSecond,
  };
}

async function main() {
  const k = spawnSync(join(repo, 'scripts', 'kafka.sh'), ['start'], { encoding: 'utf8' });
  if (k.status !== 0) throw new Error(`no Kafka broker: ${k.stderr}`);
  const kafka = new Kafka({ clientId: 'ocpp-edge-bench', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const topic = `ocpp-frames-bench-${Date.now().toString(36)}`;
  await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });
  const pki = new TestPki();
  const servers: Server[] = [];
  try {
    // One hash for every station (cheap parameters): the handshake cost measured is TLS, not scrypt.
    const hash = (await PasswordHash.create(PASSWORD, { N: 1024, r: 8, p: 1 })).toString();
    const stations: Record<string, { password: string }> = {};
    for (let i = 0; i < STATIONS; i++) stations[`BENCH-${String(i).padStart(6, '0')}`] = { password: hash };
    const stationsFile = join(pki.dir, 'stations.json');
    writeFileSync(stationsFile, JSON.stringify({ stations }));
    process.stdout.write(`OCPP edge benchmark: ${STATIONS} stations (OCPP 1.6, TLS, profile 2), ${RATE} MeterValues/s for ${SECONDS} s, then 200 stations flat out for ${BURST_SECONDS} s\n`);

    const edge = await startChild(
      'edge',
      [join(repo, 'services', 'ocpp-edge', 'dist', 'main.js')],
      {
        EDGE_MODE: 'standalone',
        EDGE_HOST: '127.0.0.1',
        EDGE_PORT: '0',
        EDGE_STATIONS_FILE: stationsFile,
        EDGE_TLS_CERT: pki.server.certFile,
        EDGE_TLS_KEY: pki.server.keyFile,
        KAFKA_BROKERS: brokers,
        KAFKA_TOPIC_OCPP_FRAMES: topic,
        EDGE_INSTANCE_ID: 'bench',
      },
      /listening on wss:\/\/127\.0\.0\.1:(\d+)\//,
    );
    servers.push(edge);
    const e = await measure(edge, pki.ca.cert);
    edge.child.kill('SIGTERM');

    const bare = await startChild('bare ws', ['-e', BARE_SERVER], { CERT: pki.server.certFile, KEY: pki.server.keyFile }, /bare listening on (\d+)/);
    servers.push(bare);
    const b = await measure(bare, pki.ca.cert);

    const offsets = await admin.fetchTopicOffsets(topic);
    const stored = offsets.reduce((s, p) => s + Number(p.high), 0);
    const row = (name: string, r: typeof e) =>
      `| ${name} | ${(r.perConnection / 1024).toFixed(1)} KiB (${r.heldMiB.toFixed(0)} MiB held) | ${r.connectS.toFixed(1)} s | ${r.p50.toFixed(1)} / ${r.p99.toFixed(1)} / ${r.max.toFixed(0)} ms | ${(r.cpuShare * 100).toFixed(0)} % | ${r.perSecond.toFixed(0)}/s | ${r.errors} |`;
    process.stdout.write(
      [
        '',
        `| server | memory per connection | ${STATIONS} connections | CALL→CALLRESULT at ${RATE}/s p50 / p99 / max | server CPU at ${RATE}/s | flat out (200 stations) | errors |`,
        '|---|---|---|---|---|---|---|',
        row('edge (Kafka acks=all)', e),
        row('bare ws', b),
        '',
        `edge p99 goal < 50 ms at ${RATE}/s: ${e.p99 < 50 ? 'met' : 'NOT met'}; ${stored} records in Kafka`,
        '',
      ].join('\n'),
    );
  } catch (e) {
    for (const s of servers) process.stderr.write(`--- ${s.name} output (last 3000 characters):\n${s.output().slice(-3000)}\n`);
    throw e;
  } finally {
    for (const s of servers) s.child.kill('SIGTERM');
    await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
    await admin.disconnect();
    pki.dispose();
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
