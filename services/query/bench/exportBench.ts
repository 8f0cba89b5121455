// Auditor export benchmark (issue 12's `query-export` row: >= 0.7 of the bare driver, >= 50,000
// records/s). For each store (SQLite, PostgreSQL: ledger and read model in the same one): a ledger of
// BENCH_EXPORT_STATIONS stations (default 4) with BENCH_EXPORT_RECORDS records each over one year
// (default 20,000, a busy station's year) is appended straight into the store (bench/benchLedger.ts,
// not measured); the BUILT query service starts over it (dist/main.js, as in production) and projects
// its read model; then `GET /auditor/stations/:id/datasets?from=2025-01-01&to=2026-01-01&format=ndjson`
// is read to the end over HTTP by a client counting lines, and the same rows (same SELECT, same order)
// are read with the bare driver in this process (better-sqlite3 `.iterate()`, pg through a server-side
// cursor) touching each row's text. Each is run BENCH_EXPORT_REPEATS times (default 7), alternating,
// and the best of each is compared. The row's figure is the store with the lower ratio.
import { spawn, type ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { barePostgresRead, bareSqliteRead, type BareRead } from './bareRead';
import { benchStationId, fillPostgresLedger, fillSqliteLedger, type BenchLedgerShape } from './benchLedger';
import { benchPg, load, pgUrl, printBenchRow } from './benchRow';

const repo = resolve(__dirname, '..', '..', '..');
const STATIONS = Number(process.env.BENCH_EXPORT_STATIONS ?? 4);
const RECORDS = Number(process.env.BENCH_EXPORT_RECORDS ?? 20_000);
const REPEATS = Number(process.env.BENCH_EXPORT_REPEATS ?? 7);
const STORES = (process.env.BENCH_EXPORT_STORES ?? 'sqlite,postgres').split(',');
const AUDITOR = 'bench-export-auditor-key-0123456';
const FROM = '2025-01-01';
const TO = '2026-01-01';
const GOAL_RATIO = 0.7;
const GOAL_RATE = 50_000;

const PROFILE = process.env.BENCH_PROFILE === '1';

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

/** CPU seconds (user + system) a process has used so far, from /proc. */
function cpuOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** CPU seconds this process uses while `work` runs. */
async function ownCpu<T>(work: () => Promise<T>): Promise<[T, number]> {
  const c0 = process.cpuUsage();
  const r = await work();
  const c = process.cpuUsage(c0);
  return [r, (c.user + c.system) / 1e6];
}

const EXPORT_SELECT = (table: string, p: (n: number) => string) =>
  `SELECT stream_id, counter, body, emsp_id, emsp_source, token_uid, token_type, token_source FROM ${table}
   WHERE station_id = ${p(1)} AND end_time >= ${p(2)} AND end_time < ${p(3)} ORDER BY stream_id, length(counter), counter`;

/** The export over HTTP (a new connection each time), read to the end: lines and seconds. */
function exportOverHttp(url: string, stationId: string): Promise<{ n: number; s: number }> {
  return new Promise((done, fail) => {
    const t0 = process.hrtime.bigint();
    const req = get(`${url}/auditor/stations/${stationId}/datasets?from=${FROM}&to=${TO}&format=ndjson`, { headers: { authorization: `Bearer ${AUDITOR}` }, agent: false }, (res) => {
      let n = 0;
      res.on('data', (chunk: Buffer) => {
        for (let i = chunk.indexOf(10); i !== -1; i = chunk.indexOf(10, i + 1)) n++;
      });
      res.once('error', fail);
      res.once('end', () => (res.statusCode === 200 ? done({ n, s: seconds(t0) }) : fail(new Error(`export answered ${res.statusCode}`))));
    });
    req.once('error', fail);
  });
}

async function startService(env: Record<string, string>, profileDir: string | undefined): Promise<{ url: string; child: ChildProcess }> {
  const port = 30000 + Math.floor(Math.random() * 20000);
  const child = spawn(process.execPath, [...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []), join(repo, 'services/query/dist/main.js')], {
    env: { ...process.env, ...env, QUERY_PORT: String(port), METRICS_PORT: '0', LOG_LEVEL: 'warn', QUERY_API_KEYS: `${AUDITOR}=auditor` },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  let exited: number | null | undefined;
  child.once('exit', (c) => (exited = c));
  for (;;) {
    if (exited !== undefined) throw new Error(`the query service exited with ${exited}`);
    const ready = await fetch(`${url}/health/ready`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ready) return { url, child };
    await new Promise((r) => setTimeout(r, 250));
  }
}

interface StoreResult {
  store: string;
  rate: number;
  bare: number;
  /** Records per CPU second: the service's for the export, this process's for the bare read. */
  cpuRate: number;
  cpuBare: number;
}

async function measure(store: string, dir: string, shape: BenchLedgerShape): Promise<StoreResult> {
  const schema = `bench_export_${process.pid}`;
  const t0 = process.hrtime.bigint();
  let env: Record<string, string>;
  let bare: (stationId: string) => Promise<BareRead>;
  if (store === 'sqlite') {
    await fillSqliteLedger(join(dir, 'ledger.sqlite'), shape);
    env = { LEDGER_STORE: 'sqlite', LEDGER_SQLITE_FILE: join(dir, 'ledger.sqlite'), QUERY_READ_MODEL: 'sqlite', QUERY_READ_MODEL_FILE: join(dir, 'query.sqlite') };
    bare = async (id) => bareSqliteRead(join(dir, 'query.sqlite'), EXPORT_SELECT('sessions', () => '?'), [id, FROM, TO], 'body');
  } else {
    await fillPostgresLedger(benchPg, schema, shape);
    env = { LEDGER_STORE: 'postgres', LEDGER_PG_SCHEMA: schema, QUERY_READ_MODEL: 'postgres', QUERY_PG_SCHEMA: `${schema}_query`, DATABASE_URL: pgUrl };
    bare = (id) => barePostgresRead(benchPg, EXPORT_SELECT(`"${schema}_query".sessions`, (i) => `$${i}`), [id, FROM, TO], 'body');
  }
  process.stdout.write(`${store}: ledger of ${shape.stations} stations x ${shape.perStation} records appended in ${seconds(t0).toFixed(1)} s (not measured)\n`);
  const t1 = process.hrtime.bigint();
  const profileDir = PROFILE ? mkdtempSync(join(tmpdir(), 'export-profile-')) : undefined;
  const { url, child } = await startService(env, profileDir);
  let window = { fromUs: Infinity, toUs: 0 };
  process.stdout.write(`${store}: the query service is ready (read model projected) after ${seconds(t1).toFixed(1)} s\n`);
  try {
    const station = benchStationId(Math.floor(shape.stations / 2));
    let best = { http: Infinity, bare: Infinity, httpCpu: Infinity, bareCpu: Infinity };
    for (let i = 0; i < REPEATS; i++) {
      const [{ rows: bareRows, seconds: bareS }, bareCpu] = await ownCpu(() => bare(station));
      const b = { n: bareRows, s: bareS };
      const c0 = cpuOf(child.pid!);
      const from = Number(process.hrtime.bigint() / 1000n);
      const h = await exportOverHttp(url, station);
      window = { fromUs: Math.min(window.fromUs, from), toUs: Number(process.hrtime.bigint() / 1000n) };
      const httpCpu = cpuOf(child.pid!) - c0;
      if (h.n !== shape.perStation || b.n !== shape.perStation) throw new Error(`${store}: the export gave ${h.n} lines and the bare read ${b.n} rows, not ${shape.perStation}`);
      best = { http: Math.min(best.http, h.s), bare: Math.min(best.bare, b.s), httpCpu: Math.min(best.httpCpu, httpCpu), bareCpu: Math.min(best.bareCpu, bareCpu) };
      process.stdout.write(`${store}: export ${(h.n / h.s).toFixed(0)} records/s (service ${httpCpu.toFixed(2)} CPU s), bare driver ${(b.n / b.s).toFixed(0)} rows/s (${bareCpu.toFixed(2)} CPU s); ${load()}\n`);
    }
    const n = shape.perStation;
    const result = { store, rate: n / best.http, bare: n / best.bare, cpuRate: n / Math.max(best.httpCpu, 0.01), cpuBare: n / Math.max(best.bareCpu, 0.01) };
    process.stdout.write(
      `${store}: one station-year (${n} records) exported at ${result.rate.toFixed(0)} records/s = ${(result.rate / result.bare).toFixed(3)} of the bare driver's ${result.bare.toFixed(0)} rows/s (best of ${REPEATS}); ` +
        `by CPU time ${result.cpuRate.toFixed(0)} records per service CPU s = ${(result.cpuRate / result.cpuBare).toFixed(3)} of the bare driver's ${result.cpuBare.toFixed(0)} rows per CPU s\n`,
    );
    return result;
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    if (profileDir) process.stdout.write(`${store}: the service's CPU profile is in ${profileDir} (the exports ran from ${window.fromUs} to ${window.toUs} µs on the monotonic clock)\n`);
    if (store === 'postgres') {
      const c = new Client(benchPg);
      await c.connect();
      await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE; DROP SCHEMA IF EXISTS "${schema}_query" CASCADE`);
      await c.end();
    }
  }
}

async function main(): Promise<void> {
  const shape: BenchLedgerShape = { stations: STATIONS, perStation: RECORDS, year: 2025 };
  process.stdout.write(`export benchmark: NDJSON export of one station-year (${RECORDS} records) from a ledger of ${STATIONS} stations, stores ${STORES.join(', ')}\n`);
  const dir = mkdtempSync(join(tmpdir(), 'export-bench-'));
  const results: StoreResult[] = [];
  try {
    for (const store of STORES) results.push(await measure(store, dir, shape));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const worst = results.reduce((a, b) => (b.rate / b.bare < a.rate / a.bare ? b : a));
  printBenchRow({ id: 'query-export', figure: worst.rate, unit: 'records/s', limit: worst.bare, ratio: worst.rate / worst.bare, goal: GOAL_RATIO, minFigure: GOAL_RATE });
}

main().catch((e) => {
  process.stderr.write(`export benchmark failed: ${(e as Error).stack}${(e as { cause?: unknown }).cause ? `\ncaused by: ${String((e as { cause?: unknown }).cause)}` : ''}\n`);
  process.exitCode = 1;
});
