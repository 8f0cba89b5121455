// Query benchmark: the eMSP session lookup at 200 connections and at a fixed 1,000 req/s (autocannon),
// against the query service running from its build (dist/main.js, as in production: `npm run build`
// first) in a process of its own, beside the limit measured in the same run: a bare Fastify route
// (bench/bareLookupServer.ts, no Nest) answering the same lookup from the same read model in a
// process of its own. autocannon runs here, in a third process. Then the export rate in records per
// second. Prints `BENCH_ROW {json}` lines for `query-lookup-200` and `query-lookup-1000rps` (the
// first read model of BENCH_READ_MODELS, `sqlite,postgres` by default: SQLite, the embedded default).
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { FleetSimulator, NO_FAULTS, serializeMessage, type OcmfDatasetMessage } from '@metrology-ledger/cp800-model';
import { IngestPipeline } from '@metrology-ledger/ingest';
import { Ledger, SqliteEventStore } from '@metrology-ledger/ledger';

interface Result {
  latency: { p50: number; p99: number; average: number };
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
  /** Of the errors: requests unanswered after autocannon's 10 s. */
  timeouts: number;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (o: object) => Promise<Result>;

const repo = resolve(__dirname, '..', '..', '..');
const env = process.env;
const STATIONS = Number(env.BENCH_STATIONS ?? 30);
const DAYS = Number(env.BENCH_DAYS ?? 20);
const SECONDS = Number(env.BENCH_SECONDS ?? 10);
const READ_MODELS = (env.BENCH_READ_MODELS ?? 'sqlite,postgres').split(',');
/** Load before the runs, per server, not counted (the Nest stack is optimised by V8 only after some thousands of requests). */
const WARMUP_SECONDS = Number(env.BENCH_WARMUP_SECONDS ?? 10);
/** autocannon's connections for the fixed-rate run (its default); the rate is spread over them. */
const RATE_CONNECTIONS = Number(env.BENCH_RATE_CONNECTIONS ?? 10);
/** A directory: the query service runs with `--cpu-prof` and writes its profile there. */
const CPU_PROF = env.BENCH_CPU_PROF;
/** The query service's entry point: its build by default; another build (an older commit's) to compare before and after. */
const QUERY_MAIN = env.BENCH_QUERY_MAIN ?? join(repo, 'services', 'query', 'dist', 'main.js');
/** How long a server may take to be ready (the service: its first catch-up). */
const START_SECONDS = Number(env.BENCH_START_SECONDS ?? 300);
const DATABASE_URL = env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
const KEY = 'bench-emsp-key-0123456789';
const AUDITOR = 'bench-auditor-key-0123456';
const EMSP = 'DE-EMP-ALPHA';
const GOAL = { ratio: 0.6, rate: 10_000, p99At200: 25, p99AtRate: 5 };

const load = () => `load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`;

/**
 * Starts a process and resolves once a line of its standard output contains `ready`. Its output goes
 * to `output`, a file (as a container runtime collects it), so that the busy autocannon process never
 * holds a process up by reading its logs slowly.
 */
async function start(name: string, args: string[], extraEnv: Record<string, string>, ready: string, output: string): Promise<ChildProcess> {
  const fd = openSync(output, 'w');
  const child = spawn(process.execPath, args, { env: { ...env, ...extraEnv }, stdio: ['ignore', fd, 'inherit'] });
  closeSync(fd);
  let exited: number | null | undefined;
  child.once('exit', (c) => (exited = c));
  const giveUp = Date.now() + START_SECONDS * 1000;
  while (!readFileSync(output, 'utf8').includes(ready)) {
    if (exited !== undefined) throw new Error(`${name} exited with ${exited} before it was ready (its output: ${output})`);
    if (Date.now() > giveUp) {
      await stop(child);
      throw new Error(`${name} was not ready within ${START_SECONDS} s (its output: ${output})`);
    }
    await new Promise((ok) => setTimeout(ok, 100));
  }
  return child;
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((done) => {
    if (child.exitCode !== null) return done();
    child.once('exit', () => done());
    child.kill('SIGTERM');
  });
}

/** CPU time (user + system, µs) a process has used so far, from /proc (Linux). */
function cpuUsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS;
}
const CLOCK_TICKS = 100;

/** A run against one server, with the CPU time its process spent per request (what others' load changes least). */
async function lookupsOf(server: ChildProcess, port: number, txs: string[], options: { connections: number; seconds: number; overallRate?: number }): Promise<Result & { cpuUsPerRequest: number }> {
  const before = cpuUsOf(server.pid!);
  const r = await lookups(port, txs, options);
  return { ...r, cpuUsPerRequest: (cpuUsOf(server.pid!) - before) / Math.max(1, r.requests.total) };
}

function lookups(port: number, txs: string[], options: { connections: number; seconds: number; overallRate?: number }): Promise<Result> {
  let i = 0;
  return autocannon({
    url: `http://127.0.0.1:${port}`,
    connections: options.connections,
    duration: options.seconds,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    headers: { authorization: `Bearer ${KEY}` },
    requests: [{ method: 'GET', setupRequest: (req: { path: string }) => ({ ...req, path: `/emsp/sessions/${txs[i++ % txs.length]}` }) }],
  });
}

const describe = (r: Result & { cpuUsPerRequest: number }) =>
  `${r.requests.average.toFixed(0).padStart(6)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, ${r.cpuUsPerRequest.toFixed(0)} µs CPU per request (${r.requests.total} requests, non-2xx ${r.non2xx}, errors ${r.errors} of which timeouts ${r.timeouts})`;

async function buildLedger(ledgerFile: string) {
  const sim = new FleetSimulator({ stations: STATIONS, days: DAYS, seed: 3, start: Date.UTC(2025, 0, 1), faults: NO_FAULTS, signing: 'openssl' });
  const store = new SqliteEventStore(ledgerFile);
  const ledger = new Ledger(store);
  await ledger.registerKeys(sim.manifest.registry);
  const pipeline = new IngestPipeline(ledger);
  const txs: string[] = [];
  for (const day of sim.days()) {
    for (const m of day) {
      await pipeline.process(serializeMessage(m), 'bench', m.stationId);
      if (m.kind === 'ocmf-dataset' && (m as OcmfDatasetMessage).emspId === EMSP) txs.push((m as OcmfDatasetMessage).transactionId);
    }
  }
  await store.close();
  return { stations: sim.manifest.registry.map((r) => r.stationId), txs };
}

type Measured = Result & { cpuUsPerRequest: number };

interface LookupFigures {
  readModel: string;
  bare200: Measured;
  query200: Measured;
  bareRate: Measured;
  queryRate: Measured;
  exportText?: string;
}

async function measure(readModel: string, dir: string, ledgerFile: string, ledgerFacts: { stations: string[]; txs: string[] }, withExport: boolean): Promise<LookupFigures> {
  const port = 30000 + Math.floor(Math.random() * 20000);
  const barePort = port + 1;
  const sqliteFile = join(dir, `query-${readModel}.sqlite`);
  const schema = `bench_query_${process.pid}`;
  const readModelEnv: Record<string, string> =
    readModel === 'postgres' ? { QUERY_READ_MODEL: 'postgres', DATABASE_URL, QUERY_PG_SCHEMA: schema } : { QUERY_READ_MODEL: 'sqlite', QUERY_READ_MODEL_FILE: sqliteFile };
  const profile = CPU_PROF ? ['--cpu-prof', '--cpu-prof-dir', CPU_PROF] : [];
  // The service builds the read model (its first catch-up), then says it is listening.
  const service = await start(
    'query service',
    [...profile, QUERY_MAIN],
    {
      ...readModelEnv,
      LEDGER_STORE: 'sqlite',
      LEDGER_SQLITE_FILE: ledgerFile,
      QUERY_PORT: String(port),
      METRICS_PORT: '0',
      QUERY_REFRESH_MS: '3600000',
      QUERY_API_KEYS: `${KEY}=emsp:${EMSP};${AUDITOR}=auditor`,
    },
    'listening on',
    join(dir, `query-${readModel}.log`),
  );
  const bare = await start(
    'bare Fastify server',
    ['--import', 'tsx', join(__dirname, 'bareLookupServer.ts')],
    { BARE_PORT: String(barePort), BARE_READ_MODEL: readModel, BARE_SQLITE_FILE: sqliteFile, BARE_PG_SCHEMA: schema, DATABASE_URL, BARE_KEY: KEY, BARE_EMSP_ID: EMSP },
    'listening',
    join(dir, `bare-${readModel}.log`),
  );
  try {
    const { txs } = ledgerFacts;
    // Warm-up (JIT, connection pools), not counted: a service that has run a while is what is measured.
    await lookups(barePort, txs, { connections: 50, seconds: WARMUP_SECONDS });
    await lookups(port, txs, { connections: 50, seconds: WARMUP_SECONDS });
    process.stdout.write(`\n[${readModel}] ${load()} before the runs\n`);
    const bare200 = await lookupsOf(bare, barePort, txs, { connections: 200, seconds: SECONDS });
    process.stdout.write(`[${readModel}] bare Fastify, 200 connections:   ${describe(bare200)}\n`);
    const from = process.hrtime.bigint() / 1000n;
    const query200 = await lookupsOf(service, port, txs, { connections: 200, seconds: SECONDS });
    if (CPU_PROF) process.stdout.write(`[${readModel}] profile window of the 200-connection run (monotonic µs): ${from} ${process.hrtime.bigint() / 1000n}\n`);
    process.stdout.write(`[${readModel}] query service, 200 connections: ${describe(query200)}\n`);
    const bareRate = await lookupsOf(bare, barePort, txs, { connections: RATE_CONNECTIONS, seconds: SECONDS, overallRate: 1000 });
    process.stdout.write(`[${readModel}] bare Fastify, 1,000 req/s (${RATE_CONNECTIONS} connections):   ${describe(bareRate)}\n`);
    const queryRate = await lookupsOf(service, port, txs, { connections: RATE_CONNECTIONS, seconds: SECONDS, overallRate: 1000 });
    process.stdout.write(`[${readModel}] query service, 1,000 req/s (${RATE_CONNECTIONS} connections): ${describe(queryRate)}\n`);
    process.stdout.write(`[${readModel}] ${load()} after the runs\n`);
    // A wrong answer stops the benchmark; a timeout (autocannon's 10 s, on an overloaded machine) is counted in `errors` above.
    for (const r of [bare200, query200, bareRate, queryRate]) if (r.non2xx > 0) throw new Error(`[${readModel}] lookups failed: non-2xx ${r.non2xx}`);
    let exportText: string | undefined;
    if (withExport) {
      // Export: every station's datasets as NDJSON, one after another.
      const t = process.hrtime.bigint();
      let records = 0;
      for (const s of ledgerFacts.stations) {
        const r = await fetch(`http://127.0.0.1:${port}/auditor/stations/${s}/datasets`, { headers: { authorization: `Bearer ${AUDITOR}` } });
        records += (await r.text()).split('\n').filter(Boolean).length;
      }
      const secs = Number(process.hrtime.bigint() - t) / 1e9;
      exportText = `export (NDJSON, all stations): ${records} records in ${secs.toFixed(2)} s = ${(records / secs).toFixed(0)} records/s\n`;
    }
    return { readModel, bare200, query200, bareRate, queryRate, exportText };
  } finally {
    await stop(bare);
    await stop(service);
    if (readModel === 'postgres') {
      const pg = new Client({ connectionString: DATABASE_URL });
      await pg.connect();
      await pg.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pg.end();
    }
  }
}

async function main() {
  const built = QUERY_MAIN;
  if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first (the service runs from its build, never through tsx)`);
  const dir = mkdtempSync(join(tmpdir(), 'query-bench-'));
  const ledgerFile = join(dir, 'ledger.sqlite');
  process.stdout.write(`query benchmark: ledger of ${STATIONS} stations x ${DAYS} days; read models ${READ_MODELS.join(', ')}; ${WARMUP_SECONDS} s warm-up per server, ${SECONDS} s per run; service ${QUERY_MAIN}; ${load()}${CPU_PROF ? `; the service profiled into ${CPU_PROF} (figures lower than without the profiler)` : ''}\n`);
  const facts = await buildLedger(ledgerFile);
  process.stdout.write(`${facts.txs.length} sessions of ${EMSP} looked up in turn\n`);
  const figures: LookupFigures[] = [];
  const failed: string[] = [];
  for (const [i, readModel] of READ_MODELS.entries()) {
    // The first read model gives the table's rows; another that cannot be measured (no PostgreSQL) is reported, not fatal to them.
    if (i === 0) figures.push(await measure(readModel, dir, ledgerFile, facts, true));
    else
      await measure(readModel, dir, ledgerFile, facts, false).then(
        (f) => figures.push(f),
        (e: Error) => failed.push(`[${readModel}] not measured: ${e.message}`),
      );
  }
  for (const f of failed) process.stdout.write(`${f}\n`);
  if (failed.length > 0) process.exitCode = 1;
  process.stdout.write('\n');
  for (const f of figures) {
    const ratio = f.query200.requests.average / f.bare200.requests.average;
    const checks = [
      `ratio ${ratio.toFixed(3)} (goal >= ${GOAL.ratio}: ${ratio >= GOAL.ratio ? 'met' : 'MISS'})`,
      `${f.query200.requests.average.toFixed(0)} req/s (goal >= ${GOAL.rate}: ${f.query200.requests.average >= GOAL.rate ? 'met' : 'MISS'})`,
      `p99 ${f.query200.latency.p99} ms (goal <= ${GOAL.p99At200}: ${f.query200.latency.p99 <= GOAL.p99At200 ? 'met' : 'MISS'})`,
    ];
    process.stdout.write(`[${f.readModel}] lookup at 200 connections: ${checks.join(', ')}\n`);
    const cpuRatio = f.bare200.cpuUsPerRequest / f.query200.cpuUsPerRequest;
    process.stdout.write(`[${f.readModel}] CPU per request at 200 connections (load-independent view): bare Fastify ${f.bare200.cpuUsPerRequest.toFixed(0)} µs, query service ${f.query200.cpuUsPerRequest.toFixed(0)} µs: bare / query = ${cpuRatio.toFixed(3)} (the ratio with a core to each)\n`);
    process.stdout.write(`[${f.readModel}] lookup at 1,000 req/s: p99 ${f.queryRate.latency.p99} ms (goal <= ${GOAL.p99AtRate}: ${f.queryRate.latency.p99 <= GOAL.p99AtRate ? 'met' : 'MISS'}; bare Fastify ${f.bareRate.latency.p99} ms)\n`);
    if (f.exportText) process.stdout.write(f.exportText);
  }
  // The table's rows: the first read model (the embedded default, SQLite, unless told otherwise).
  const f = figures[0];
  const rate = f.query200.requests.average;
  const limit = f.bare200.requests.average;
  process.stdout.write(`BENCH_ROW ${JSON.stringify({ id: 'query-lookup-200', figure: rate, unit: 'req/s', limit, ratio: rate / limit, goal: GOAL.ratio })}\n`);
  process.stdout.write(`BENCH_ROW ${JSON.stringify({ id: 'query-lookup-1000rps', figure: f.queryRate.latency.p99, unit: 'ms p99', goal: GOAL.p99AtRate, atMost: true })}\n`);
}

main().catch((e) => {
  process.stderr.write(`benchmark failed: ${(e as Error).stack}\n`);
  process.exitCode = 1;
});
