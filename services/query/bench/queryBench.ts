// Query benchmark: session lookup latency (p50/p99) at 200 concurrent connections with autocannon,
// and export rate in records per second, against the query service running in its own process, from
// its build (dist/main.js, as in production: `npm run build` first).
import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FleetSimulator, NO_FAULTS, serializeMessage, type OcmfDatasetMessage } from '@metrology-ledger/cp800-model';
import { IngestPipeline } from '@metrology-ledger/ingest';
import { Ledger, SqliteEventStore } from '@metrology-ledger/ledger';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (o: object) => Promise<{ latency: { p50: number; p99: number; average: number }; requests: { average: number }; non2xx: number; errors: number }>;

const repo = resolve(__dirname, '..', '..', '..');
const STATIONS = Number(process.env.BENCH_STATIONS ?? 30);
const DAYS = Number(process.env.BENCH_DAYS ?? 20);
const KEY = 'bench-emsp-key-0123456789';
const AUDITOR = 'bench-auditor-key-0123456';

async function main() {
  const built = join(repo, 'services', 'query', 'dist', 'main.js');
  if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first (the service runs from its build, never through tsx)`);
  const dir = mkdtempSync(join(tmpdir(), 'query-bench-'));
  const ledgerFile = join(dir, 'ledger.sqlite');
  process.stdout.write(`query benchmark: ledger of ${STATIONS} stations x ${DAYS} days\n`);
  const sim = new FleetSimulator({ stations: STATIONS, days: DAYS, seed: 3, start: Date.UTC(2025, 0, 1), faults: NO_FAULTS, signing: 'openssl' });
  const store = new SqliteEventStore(ledgerFile);
  const ledger = new Ledger(store);
  await ledger.registerKeys(sim.manifest.registry);
  const pipeline = new IngestPipeline(ledger);
  const txs: string[] = [];
  for (const day of sim.days()) {
    for (const m of day) {
      await pipeline.process(serializeMessage(m), 'bench', m.stationId);
      if (m.kind === 'ocmf-dataset' && (m as OcmfDatasetMessage).emspId === 'DE-EMP-ALPHA') txs.push((m as OcmfDatasetMessage).transactionId);
    }
  }
  await store.close();
  const port = 30000 + Math.floor(Math.random() * 20000);
  const server = spawn(process.execPath, [built], {
    env: { ...process.env, LEDGER_STORE: 'sqlite', LEDGER_SQLITE_FILE: ledgerFile, QUERY_READ_MODEL_FILE: join(dir, 'query.sqlite'), QUERY_PORT: String(port), QUERY_API_KEYS: `${KEY}=emsp:DE-EMP-ALPHA;${AUDITOR}=auditor` },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((ok, fail) => {
    server.stdout!.on('data', (b: Buffer) => b.toString().includes('listening') && ok());
    server.once('exit', (c) => fail(new Error(`query service exited with ${c}`)));
  });
  const url = `http://127.0.0.1:${port}`;
  let i = 0;
  const lookup = await autocannon({
    url,
    connections: 200,
    duration: Number(process.env.BENCH_SECONDS ?? 10),
    headers: { authorization: `Bearer ${KEY}` },
    requests: [{ method: 'GET', setupRequest: (req: { path: string }) => ({ ...req, path: `/emsp/sessions/${txs[i++ % txs.length]}` }) }],
  });
  // Export: every station's datasets as NDJSON, one after another.
  const t = process.hrtime.bigint();
  let records = 0;
  for (const s of sim.manifest.registry) {
    const r = await fetch(`${url}/auditor/stations/${s.stationId}/datasets`, { headers: { authorization: `Bearer ${AUDITOR}` } });
    records += (await r.text()).split('\n').filter(Boolean).length;
  }
  const exportSecs = Number(process.hrtime.bigint() - t) / 1e9;
  server.kill('SIGTERM');
  process.stdout.write(
    `\nsession lookup, 200 connections: p50 ${lookup.latency.p50} ms, p99 ${lookup.latency.p99} ms, ${lookup.requests.average.toFixed(0)} req/s (non-2xx ${lookup.non2xx}, errors ${lookup.errors})\n` +
      `export (NDJSON, all stations): ${records} records in ${exportSecs.toFixed(2)} s = ${(records / exportSecs).toFixed(0)} records/s\n`,
  );
}

main().catch((e) => {
  process.stderr.write(`benchmark failed: ${(e as Error).stack}\n`);
  process.exitCode = 1;
});
