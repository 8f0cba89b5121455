import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { DEFAULT_FAULTS, FleetSimulator, serializeMessage, type SimulationManifest, type SimulationMessage } from '@metrology-ledger/cp800-model';
import { Ledger, PostgresEventStore } from '@metrology-ledger/ledger';
import { reconcileWithManifest } from './application/reconcileWithManifest';
import { registerSimulatedKeys } from './application/registerSimulatedKeys';

// End to end on a real Kafka broker (scripts/kafka.sh, started by .ci/run) and the local PostgreSQL:
// simulated fleet -> Kafka -> ingest (separate process) -> ledger in PostgreSQL -> compared with the
// simulator's ground truth.
const repo = resolve(__dirname, '..', '..', '..');
const brokers = process.env.KAFKA_BROKERS ?? '127.0.0.1:19092';
const pg = { host: process.env.PGHOST ?? '127.0.0.1', port: Number(process.env.PGPORT ?? 5432), user: process.env.PGUSER ?? 'postgres', database: process.env.PGDATABASE ?? 'test' };

beforeAll(() => {
  // Idempotent: returns at once when .ci/run already started the broker.
  const r = spawnSync(join(repo, 'scripts', 'kafka.sh'), ['start'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`Kafka broker unavailable: ${r.stderr || r.stdout}`);
});

interface Run {
  suffix: string;
  schema: string;
  topics: { datasets: string; metrologyLog: string; faults: string };
  messages: SimulationMessage[];
  manifest: SimulationManifest;
  store: PostgresEventStore;
}

async function prepare(seed: number, stations: number, days: number): Promise<Run> {
  const suffix = randomBytes(4).toString('hex');
  const faults = { ...DEFAULT_FAULTS, drop: 0.04, duplicate: 0.04, reorder: 0.04, delay: 0.04, tamper: 0.03, wrongKey: 0.03, conflict: 0.03, keyReplace: 0.4, stationFault: 0.1 };
  const sim = new FleetSimulator({ stations, days, seed, start: Date.UTC(2025, 4, 1), faults });
  const messages: SimulationMessage[] = [];
  for (const d of sim.days()) messages.push(...d);
  const schema = `e2e_${suffix}`;
  const store = new PostgresEventStore({ ...pg, schema });
  await store.init();
  await registerSimulatedKeys(new Ledger(store), sim.manifest);
  const topics = { datasets: `ocmf-datasets-${suffix}`, metrologyLog: `metrology-log-${suffix}`, faults: `station-faults-${suffix}` };
  const admin = new Kafka({ brokers: [brokers], logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  await admin.createTopics({ topics: Object.values(topics).map((topic) => ({ topic, numPartitions: 2, replicationFactor: 1 })), waitForLeaders: true });
  await admin.disconnect();
  return { suffix, schema, topics, messages, manifest: sim.manifest, store };
}

async function produce(run: Run): Promise<void> {
  const producer = new Kafka({ brokers: [brokers], logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  const topicOf = (m: SimulationMessage) => (m.kind === 'ocmf-dataset' ? run.topics.datasets : m.kind === 'metrology-log-entry' ? run.topics.metrologyLog : run.topics.faults);
  for (let i = 0; i < run.messages.length; i += 200) {
    const chunk = run.messages.slice(i, i + 200);
    const byTopic = new Map<string, { key: string; value: string }[]>();
    for (const m of chunk) byTopic.set(topicOf(m), [...(byTopic.get(topicOf(m)) ?? []), { key: m.stationId, value: serializeMessage(m) }]);
    await producer.sendBatch({ topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
  }
  await producer.disconnect();
}

function startIngest(run: Run): ChildProcess {
  // node itself (not the tsx wrapper, which would leave its child running after a SIGKILL).
  return spawn(process.execPath, ['--import', 'tsx', join(repo, 'services', 'ingest', 'src', 'main.ts')], {
    env: {
      ...process.env,
      KAFKA_BROKERS: brokers,
      KAFKA_GROUP_ID: `ingest-${run.suffix}`,
      KAFKA_TOPIC_DATASETS: run.topics.datasets,
      KAFKA_TOPIC_METROLOGY_LOG: run.topics.metrologyLog,
      KAFKA_TOPIC_FAULTS: run.topics.faults,
      LEDGER_STORE: 'postgres',
      LEDGER_PG_SCHEMA: run.schema,
      PGHOST: pg.host,
      PGPORT: String(pg.port),
      PGUSER: pg.user,
      PGDATABASE: pg.database,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Messages the ledger holds so far (distinct message ids over every stream). */
async function accounted(run: Run): Promise<number> {
  return (await reconcileWithManifest(run.store, run.manifest)).counts.messagesAccounted;
}

async function waitFor(cond: () => Promise<boolean>, child: ChildProcess): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`ingest exited with ${child.exitCode}`);
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

async function cleanup(run: Run, children: ChildProcess[]): Promise<void> {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await run.store.dropSchema();
  await run.store.close();
}

describe('simulated fleet -> Kafka -> ingest -> ledger (PostgreSQL)', () => {
  it('ends with exactly the simulator manifest, every accepted dataset stored byte for byte', async () => {
    const run = await prepare(31, 10, 4);
    const ingest = startIngest(run);
    try {
      await produce(run);
      await waitFor(async () => (await accounted(run)) >= run.manifest.counts.messages, ingest);
      const delivered = new Map(run.messages.filter((m) => m.kind === 'ocmf-dataset').map((m) => [m.messageId, (m as { ocmf: string }).ocmf]));
      const r = await reconcileWithManifest(run.store, run.manifest, delivered);
      expect(r.differences).toEqual([]);
      expect(r.counts.rejections).toBeGreaterThan(0);
      expect(r.counts.conflicts + r.counts.duplicates).toBeGreaterThan(0);
      expect(run.manifest.registry.some((s) => s.keys.length > 1)).toBe(true);
      expect((await new Ledger(run.store).verifyChains()).broken).toEqual([]);
    } finally {
      await cleanup(run, [ingest]);
    }
  });

  it('loses nothing and records nothing twice when ingest is killed (SIGKILL) mid-stream and restarted', async () => {
    const run = await prepare(32, 10, 4);
    const first = startIngest(run);
    let second: ChildProcess | undefined;
    try {
      await produce(run);
      const total = run.manifest.counts.messages;
      await waitFor(async () => (await accounted(run)) >= total / 3, first);
      first.kill('SIGKILL');
      await new Promise((r) => first.once('exit', r));
      const atKill = await accounted(run);
      expect(atKill).toBeLessThan(total);
      second = startIngest(run);
      await waitFor(async () => (await accounted(run)) >= total, second);
      const r = await reconcileWithManifest(run.store, run.manifest);
      expect(r.differences).toEqual([]);
      expect(r.counts.messagesAccounted).toBe(total);
    } finally {
      await cleanup(run, [first, ...(second ? [second] : [])]);
    }
  });
});
