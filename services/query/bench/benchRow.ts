import { loadavg } from 'node:os';

/** A row of the root's `npm run bench` table (tools/pipeline/bench/benchTable.ts reads these lines). */
export interface BenchRow {
  id: string;
  figure: number;
  unit: string;
  limit?: number;
  ratio?: number;
  goal: number;
  atMost?: boolean;
  /** A second bound the figure itself must reach, beside the ratio. */
  minFigure?: number;
}

export function printBenchRow(row: BenchRow): void {
  process.stdout.write(`BENCH_ROW ${JSON.stringify(row)}\n`);
}

/** The machine's load averages, printed beside every figure (a shared machine slows what it measures). */
export function load(): string {
  return `load ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`;
}

export const benchPg = { host: process.env.PGHOST ?? '127.0.0.1', user: process.env.PGUSER ?? 'postgres', database: process.env.PGDATABASE ?? 'test', port: Number(process.env.PGPORT ?? 5432) };

export const pgUrl = `postgres://${benchPg.user}@${benchPg.host}:${benchPg.port}/${benchPg.database}`;
