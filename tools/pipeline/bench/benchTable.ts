// `npm run bench` at the root: runs every package's benchmark (`npm run bench` in each, output shown
// as it comes), collects the `BENCH_ROW {json}` lines they print, and ends with one table holding every
// row of issue 12's goals: the figure, the limit measured in the same run, the ratio, the goal and
// met/MISS. A goal no benchmark measures yet is printed as "not measured", never filled in.
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

const repo = resolve(__dirname, '..', '..', '..');

/** A row as a benchmark prints it. `limit`/`ratio` absent for goals that are a plain figure. */
interface BenchRow {
  id: string;
  figure: number;
  unit: string;
  limit?: number;
  ratio?: number;
  /** The ratio to reach (with `ratio`), or the figure's bound (`atMost` or at least). */
  goal: number;
  atMost?: boolean;
  /** With `ratio`: a bound the figure itself must reach too (`>= 50,000 records/s` beside `>= 0.7 of the bare driver`). */
  minFigure?: number;
}

/** Issue 12's goals, in its order. */
const GOALS: { id: string; what: string; goal: string }[] = [
  { id: 'ingest-postgres', what: 'ingest: Kafka -> verify -> PostgreSQL append', goal: '>= 0.75 of bare crypto.verify x cores' },
  { id: 'ingest-sqlite', what: 'ingest, embedded (SQLite)', goal: '>= 0.85 of bare crypto.verify x cores' },
  { id: 'query-lookup-200', what: 'eMSP session lookup, 200 connections', goal: '>= 0.6 of bare Fastify, >= 10,000 req/s, p99 <= 25 ms' },
  { id: 'query-lookup-1000rps', what: 'the same at a fixed 1,000 req/s', goal: 'p99 <= 5 ms' },
  { id: 'query-export', what: 'auditor export, NDJSON, one station-year', goal: '>= 0.7 of the bare driver, >= 50,000 records/s' },
  { id: 'readmodel-rebuild', what: 'read-model rebuild, 1,000,000 records', goal: '< 60 s on SQLite and PostgreSQL' },
  { id: 'fleet-simulation', what: 'fleet simulation 10,000 stations x 30 days, unsigned', goal: '< 30 s on 2 cores' },
];

/** Packages with a `bench` script, in the order they run (ingest last: it needs the build the others make). */
const PACKAGES = (process.env.BENCH_PACKAGES ?? 'libs/ocmf,libs/cp800-model,services/query,services/ocpp-edge,tools/pipeline').split(',');

function run(pkg: string): Promise<{ code: number | null; rows: BenchRow[] }> {
  return new Promise((done) => {
    const rows: BenchRow[] = [];
    const child = spawn('npm', ['run', '--silent', 'bench'], { cwd: resolve(repo, pkg), stdio: ['ignore', 'pipe', 'inherit'] });
    let rest = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      process.stdout.write(text);
      const lines = (rest + text).split('\n');
      rest = lines.pop() ?? '';
      for (const l of lines) if (l.startsWith('BENCH_ROW ')) rows.push(JSON.parse(l.slice('BENCH_ROW '.length)) as BenchRow);
    });
    child.once('exit', (code) => done({ code, rows }));
  });
}

async function main(): Promise<void> {
  const measured = new Map<string, BenchRow>();
  const failed: string[] = [];
  for (const pkg of PACKAGES) {
    process.stdout.write(`\n=== ${pkg}: npm run bench\n`);
    const r = await run(pkg);
    if (r.code !== 0) failed.push(`${pkg} (exit ${r.code})`);
    for (const row of r.rows) measured.set(row.id, row);
  }
  const n = (x: number) => (x >= 100 ? x.toFixed(0) : x.toPrecision(3));
  const table = [['what', 'figure', 'limit (same run)', 'ratio', 'goal', ''], ...GOALS.map((g) => {
    const m = measured.get(g.id);
    if (!m) return [g.what, 'not measured', '', '', g.goal, ''];
    const met = (m.ratio !== undefined ? m.ratio >= m.goal : m.atMost ? m.figure <= m.goal : m.figure >= m.goal) && (m.minFigure === undefined || m.figure >= m.minFigure);
    return [g.what, `${n(m.figure)} ${m.unit}`, m.limit !== undefined ? `${n(m.limit)} ${m.unit}` : '-', m.ratio !== undefined ? m.ratio.toFixed(3) : '-', g.goal, met ? 'met' : 'MISS'];
  })];
  const widths = table[0].map((_, i) => Math.max(...table.map((r) => r[i].length)));
  process.stdout.write(`\n${table.map((r) => r.map((c, i) => c.padEnd(widths[i])).join('  ').trimEnd()).join('\n')}\n`);
  if (failed.length > 0) {
    process.stdout.write(`benchmarks that failed: ${failed.join(', ')}\n`);
    process.exitCode = 1;
  }
}

main().catch((e) => {
  process.stderr.write(`${(e as Error).stack}\n`);
  process.exitCode = 1;
});
