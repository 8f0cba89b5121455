// Read-model rebuild benchmark (issue 12's `readmodel-rebuild` row: < 60 s for 1,000,000 records on
// SQLite and on PostgreSQL). For each store: a ledger of BENCH_REBUILD_RECORDS dataset records
// (default 1,000,000, over BENCH_REBUILD_STATIONS stations, default 100) is appended straight into the
// store (bench/benchLedger.ts; not measured), the events are read once with the bare driver (the
// limit: better-sqlite3 `.iterate()`, pg with a server-side cursor), then the BUILT rebuild command
// (`npm run --silent query:rebuild`, services/query/dist/readmodel/rebuildMain.js) runs as operators
// run it, its progress display on stderr, and is timed from start to exit. The row's figure is the
// slower store's time. BENCH_REBUILD_STORES=sqlite|postgres runs one; BENCH_PROFILE=1 runs the
// rebuild under --cpu-prof and prints where its time went.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { barePostgresRead, bareSqliteRead, type BareRead } from './bareRead';
import { fillPostgresLedger, fillSqliteLedger, type BenchLedgerShape } from './benchLedger';
import { benchPg, load, pgUrl, printBenchRow } from './benchRow';

const repo = resolve(__dirname, '..', '..', '..');
const RECORDS = Number(process.env.BENCH_REBUILD_RECORDS ?? 1_000_000);
const STATIONS = Number(process.env.BENCH_REBUILD_STATIONS ?? 100);
const STORES = (process.env.BENCH_REBUILD_STORES ?? 'sqlite,postgres').split(',');
const PROFILE = process.env.BENCH_PROFILE === '1';
const GOAL_S = 60;
/** As `npm run --silent query:rebuild` runs it (package.json): a young generation of 64 MiB, which takes about a quarter off the rebuild's CPU time (fewer scavenges of the pages' short-lived objects). */
const REBUILD_NODE_FLAGS = ['--max-semi-space-size=64'];

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

const EVENTS_SELECT = (table: string) => `SELECT stream_id, revision, type, data, recorded_at, prev_hash, hash FROM ${table} ORDER BY stream_id, revision`;

/** The built rebuild command, as an operator runs it: seconds from start to exit, and the sessions it reports. */
function rebuild(env: Record<string, string>, profileDir: string | undefined): Promise<{ s: number; sessions: number; cpu: number }> {
  return new Promise((done, fail) => {
    const t0 = process.hrtime.bigint();
    // /usr/bin/time gives the CPU seconds of the rebuild process itself: on a machine shared with other
    // work the elapsed time is mostly waiting for a core, the CPU time is what the rebuild costs.
    const child = spawn('/usr/bin/time', ['-f', 'REBUILD_CPU %U %S', process.execPath, ...REBUILD_NODE_FLAGS, ...(profileDir ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : []), join(repo, 'services/query/dist/readmodel/rebuildMain.js')], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'inherit', 'pipe'],
    });
    let tail = '';
    child.stderr.setEncoding('utf8').on('data', (t: string) => {
      process.stderr.write(t);
      tail = (tail + t).slice(-2000);
    });
    child.once('exit', (code) => {
      const s = seconds(t0);
      const m = /(\d+) sessions from/.exec(tail);
      const cpu = /REBUILD_CPU ([\d.]+) ([\d.]+)/.exec(tail);
      if (code !== 0 || !m || !cpu) fail(new Error(`rebuild exited with ${code}: ${tail}`));
      else done({ s, sessions: Number(m[1]), cpu: Number(cpu[1]) + Number(cpu[2]) });
    });
  });
}

async function main(): Promise<void> {
  const shape: BenchLedgerShape = { stations: STATIONS, perStation: Math.ceil(RECORDS / STATIONS), year: 2025 };
  const records = shape.stations * shape.perStation;
  process.stdout.write(`read-model rebuild benchmark: ${records} dataset records (${shape.stations} stations x ${shape.perStation}), stores ${STORES.join(', ')}${records === 1_000_000 ? '' : ' (BENCH_REBUILD_RECORDS: not the goal size of 1,000,000)'}\n`);
  const dir = mkdtempSync(join(tmpdir(), 'rebuild-bench-'));
  const results: { store: string; s: number; bare: number }[] = [];
  try {
    for (const store of STORES) {
      const t0 = process.hrtime.bigint();
      let bare: BareRead;
      let env: Record<string, string>;
      const schema = `bench_rebuild_${process.pid}`;
      if (store === 'sqlite') {
        const file = join(dir, 'ledger.sqlite');
        await fillSqliteLedger(file, shape);
        process.stdout.write(`${store}: ledger of ${records} records appended in ${seconds(t0).toFixed(1)} s (not measured)\n`);
        bare = bareSqliteRead(file, EVENTS_SELECT('ledger_events'), [], 'data');
        env = { LEDGER_STORE: 'sqlite', LEDGER_SQLITE_FILE: file, QUERY_READ_MODEL: 'sqlite', QUERY_READ_MODEL_FILE: join(dir, 'query.sqlite') };
      } else {
        await fillPostgresLedger(benchPg, schema, shape);
        process.stdout.write(`${store}: ledger of ${records} records appended in ${seconds(t0).toFixed(1)} s (not measured)\n`);
        bare = await barePostgresRead(benchPg, EVENTS_SELECT(`"${schema}".ledger_events`), [], 'data');
        env = { LEDGER_STORE: 'postgres', LEDGER_PG_SCHEMA: schema, QUERY_READ_MODEL: 'postgres', QUERY_PG_SCHEMA: `${schema}_query`, DATABASE_URL: pgUrl };
      }
      if (bare.rows !== records) throw new Error(`the bare read found ${bare.rows} events, not ${records}`);
      process.stdout.write(`${store}: bare driver read every event in ${bare.seconds.toFixed(2)} s (${(bare.rows / bare.seconds).toFixed(0)} events/s); ${load()}\n`);
      const profileDir = PROFILE ? mkdtempSync(join(tmpdir(), 'rebuild-profile-')) : undefined;
      const r = await rebuild(env, profileDir);
      if (r.sessions !== records) throw new Error(`the rebuild reports ${r.sessions} sessions, not ${records}`);
      process.stdout.write(
        `${store}: rebuild of ${records} records in ${r.s.toFixed(1)} s (${(records / r.s).toFixed(0)} records/s, ${(r.s / bare.seconds).toFixed(1)} x the bare read), the rebuild process used ${r.cpu.toFixed(1)} CPU s; ${load()}\n`,
      );
      if (profileDir) process.stdout.write(`${store}: the rebuild's CPU profile is in ${profileDir}\n`);
      results.push({ store, s: r.s, bare: bare.seconds });
      if (store === 'postgres') {
        const c = new Client(benchPg);
        await c.connect();
        await c.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE; DROP SCHEMA IF EXISTS "${schema}_query" CASCADE`);
        await c.end();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const worst = results.reduce((a, b) => (b.s > a.s ? b : a));
  process.stdout.write(`read-model rebuild, ${records} records: ${results.map((r) => `${r.store} ${r.s.toFixed(1)} s`).join(', ')}; goal < ${GOAL_S} s on each\n`);
  printBenchRow({ id: 'readmodel-rebuild', figure: worst.s, unit: 's', limit: worst.bare, goal: GOAL_S, atMost: true });
}

main().catch((e) => {
  process.stderr.write(`rebuild benchmark failed: ${(e as Error).stack}\n`);
  process.exitCode = 1;
});
