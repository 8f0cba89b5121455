// Benchmark: records verified and appended per second through Kafka + ingest + PostgreSQL, divided by
// bare crypto.verify per second on the same P-384 datasets, measured in one run. Two ingest processes
// in one consumer group (two partitions) use both cores. Needs the broker (scripts/kafka.sh start) and
// the local PostgreSQL. Runs the ingest service from its build output (`npm run build` first).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createPublicKey, verify } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { FleetSimulator, NO_FAULTS, serializeMessage, type OcmfDatasetMessage } from '@metrology-ledger/cp800-model';
import { Ledger, PostgresEventStore } from '@metrology-ledger/ledger';
import { parseOcmfSections } from '@metrology-ledger/ocmf';
import { builtEntry } from '../src/KafkaPipelineHarness';

const repo = resolve(__dirname, '..', '..', '..');
const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:19092';
const STATIONS = Number(process.env.BENCH_STATIONS ?? 40);
const DAYS = Number(process.env.BENCH_DAYS ?? 15);
const PROCESSES = Number(process.env.BENCH_INGEST_PROCESSES ?? Math.min(2, availableParallelism()));

/** CPU seconds (user + system) used so far by the given processes, from /proc. */
function sum(pids: number[]): number {
  const tick = 100; // USER_HZ on Linux
  let total = 0;
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
      total += (Number(fields[11]) + Number(fields[12])) / tick;
    } catch {
      // process gone
    }
  }
  return total;
}

async function main() {
  const start = spawnSync(join(repo, 'scripts', 'kafka.sh'), ['start'], { encoding: 'utf8' });
  if (start.status !== 0) throw new Error(`no Kafka broker: ${start.stderr}`);
  process.stdout.write(`ingest pipeline benchmark: ${STATIONS} stations x ${DAYS} days, no faults, ${PROCESSES} ingest processes\n`);
  const sim = new FleetSimulator({ stations: STATIONS, days: DAYS, seed: 9, start: Date.UTC(2025, 0, 1), faults: NO_FAULTS });
  const datasets: OcmfDatasetMessage[] = [];
  for (const day of sim.days()) for (const m of day) if (m.kind === 'ocmf-dataset') datasets.push(m);
  const keyOf = new Map(sim.manifest.registry.map((r) => [r.stationId, createPublicKey({ key: Buffer.from(r.keys[0].publicKey, 'hex'), format: 'der', type: 'spki' })]));

  // Bare: crypto.verify over the same datasets, everything prepared beforehand.
  const prepared = datasets.map((d) => {
    const s = parseOcmfSections(d.ocmf);
    if (!s.ok) throw new Error('bad sample');
    return { key: keyOf.get(d.stationId)!, data: Buffer.from(s.sections.payloadText), sig: Buffer.from(String(s.sections.signatureJson.SD), 'base64') };
  });
  let t = process.hrtime.bigint();
  for (const p of prepared) if (!verify('sha256', p.data, p.key, p.sig)) throw new Error('bare verify failed');
  const bareRate = prepared.length / (Number(process.hrtime.bigint() - t) / 1e9);

  const suffix = Date.now().toString(36);
  const store = new PostgresEventStore({ host: process.env.PGHOST ?? '127.0.0.1', user: process.env.PGUSER ?? 'postgres', database: process.env.PGDATABASE ?? 'test', schema: `bench_${suffix}` });
  await store.init();
  await new Ledger(store).registerKeys(sim.manifest.registry);
  const topic = `bench-datasets-${suffix}`;
  const kafka = new Kafka({ brokers: [brokers], logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 2, replicationFactor: 1 }], waitForLeaders: true });
  await admin.disconnect();
  const producer = kafka.producer();
  await producer.connect();
  for (let i = 0; i < datasets.length; i += 500) {
    await producer.send({ topic, messages: datasets.slice(i, i + 500).map((m) => ({ key: m.stationId, value: serializeMessage(m) })) });
  }
  await producer.disconnect();

  // The messages wait in Kafka; the clock runs from the start of the consumers to the last record.
  t = process.hrtime.bigint();
  const children: ChildProcess[] = Array.from({ length: PROCESSES }, () =>
    spawn(process.execPath, [...(process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', '--cpu-prof-dir', process.env.BENCH_PROFILE_DIR] : []), builtEntry('services/ingest/dist/main.js')], {
      env: { ...process.env, KAFKA_BROKERS: brokers, INGEST_HEALTH_PORT: '0', METRICS_PORT: '0', KAFKA_GROUP_ID: `bench-${suffix}`, KAFKA_TOPIC_DATASETS: topic, LEDGER_STORE: 'postgres', LEDGER_PG_SCHEMA: `bench_${suffix}`, PGHOST: process.env.PGHOST ?? '127.0.0.1', PGUSER: process.env.PGUSER ?? 'postgres', PGDATABASE: process.env.PGDATABASE ?? 'test' },
      stdio: ['ignore', 'ignore', 'inherit'],
    }),
  );
  const pool = (store as unknown as { pool: { query: (q: string) => Promise<{ rows: { n: string; pid?: number }[] }> } }).pool;
  let firstAt: bigint | undefined;
  let cpuAtFirst: Map<string, number> | undefined;
  let recordedAtFirst = 0;
  const cpu = async () => {
    const pgPids = (await pool.query('SELECT pid AS n FROM pg_stat_activity WHERE backend_type = \'client backend\'')).rows.map((r) => Number(r.n));
    const kafkaPid = Number(readFileSync(join(repo, '.kafka', 'kafka.pid'), 'utf8'));
    return new Map<string, number>([
      ['ingest processes', sum(children.map((c) => c.pid!))],
      ['Kafka broker (JVM)', sum([kafkaPid])],
      ['PostgreSQL backends', sum(pgPids)],
      ['this benchmark (poller)', sum([process.pid])],
    ]);
  };
  for (;;) {
    const n = Number((await pool.query(`SELECT count(*) AS n FROM "bench_${suffix}".ledger_events WHERE type = 'DatasetRecorded'`)).rows[0].n);
    if (n > 0 && firstAt === undefined) {
      firstAt = process.hrtime.bigint();
      cpuAtFirst = await cpu();
      recordedAtFirst = n;
    }
    if (n >= datasets.length) break;
    if (children.some((c) => c.exitCode !== null)) throw new Error('an ingest process exited');
    await new Promise((r) => setTimeout(r, 100));
  }
  const end = process.hrtime.bigint();
  const cpuAtEnd = await cpu();
  const withStartup = datasets.length / (Number(end - t) / 1e9);
  const steady = datasets.length / (Number(end - (firstAt ?? t)) / 1e9);
  for (const c of children) c.kill('SIGTERM');
  await Promise.all(children.map((c) => new Promise((r) => c.once('exit', r))));
  await store.dropSchema();
  await store.close();

  const f = (x: number) => x.toFixed(0).padStart(7);
  process.stdout.write(`\n${datasets.length} P-384 datasets\n`);
  process.stdout.write(`bare crypto.verify, one core:                         ${f(bareRate)} /s\n`);
  process.stdout.write(`Kafka -> ingest -> PostgreSQL, from first record:     ${f(steady)} /s   ratio ${(steady / bareRate).toFixed(3)} (goal >= 0.8)\n`);
  process.stdout.write(`same, including consumer start-up and group join:      ${f(withStartup)} /s   ratio ${(withStartup / bareRate).toFixed(3)}\n`);
  const n = datasets.length - recordedAtFirst;
  process.stdout.write(`\nCPU per recorded dataset from the first record on (bare verify: ${(1e6 / bareRate).toFixed(0)} µs):\n`);
  let total = 0;
  for (const [what, after] of cpuAtEnd) {
    const us = ((after - (cpuAtFirst?.get(what) ?? 0)) * 1e6) / n;
    total += us;
    process.stdout.write(`  ${what.padEnd(26)} ${us.toFixed(0).padStart(6)} µs\n`);
  }
  process.stdout.write(`  ${'all'.padEnd(26)} ${total.toFixed(0).padStart(6)} µs  (2 cores give ${(2e6 / total).toFixed(0)} datasets/s at most)\n`);
}

main().catch((e) => {
  process.stderr.write(`benchmark failed: ${(e as Error).stack}\n`);
  process.exitCode = 1;
});
