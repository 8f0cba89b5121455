import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { FleetSimulator, serializeMessage, type FaultSpec, type SimulationManifest, type SimulationMessage } from '@metrology-ledger/cp800-model';
import { Ledger, PostgresEventStore } from '@metrology-ledger/ledger';
import { reconcileWithManifest } from './reconcileWithManifest';

/**
 * Test support for end-to-end runs on real services: a simulated fleet, its own Kafka topics on the
 * broker of scripts/kafka.sh, its own PostgreSQL schema, and ingest as a separate process.
 */
const repo = resolve(__dirname, '..', '..', '..');
export const BROKERS = process.env.KAFKA_BROKERS ?? '127.0.0.1:19092';
export const PG = { host: process.env.PGHOST ?? '127.0.0.1', port: Number(process.env.PGPORT ?? 5432), user: process.env.PGUSER ?? 'postgres', database: process.env.PGDATABASE ?? 'test' };

/** Starts the broker if needed (idempotent). */
export function ensureKafka(): void {
  const r = spawnSync(join(repo, 'scripts', 'kafka.sh'), ['start'], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`Kafka broker unavailable: ${r.stderr || r.stdout}`);
}

/** A port nothing listens on now, for a service started by a test. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
    s.on('error', reject);
  });
}

/** A service's compiled entry point; says how to make it when it is missing. */
export function builtEntry(relative: string): string {
  const file = join(repo, relative);
  if (!existsSync(file)) throw new Error(`${relative} is missing: run \`npm run build\` (jest's global setup does)`);
  return file;
}

export class KafkaPipelineHarness {
  readonly suffix = randomBytes(4).toString('hex');
  readonly schema = `e2e_${this.suffix}`;
  readonly topics = { datasets: `ocmf-datasets-${this.suffix}`, metrologyLog: `metrology-log-${this.suffix}`, faults: `station-faults-${this.suffix}` };
  readonly store = new PostgresEventStore({ ...PG, schema: this.schema });
  readonly children: ChildProcess[] = [];
  messages: SimulationMessage[] = [];
  manifest!: SimulationManifest;

  async prepare(options: { seed: number; stations: number; days: number; faults: FaultSpec }): Promise<void> {
    const sim = new FleetSimulator({ ...options, start: Date.UTC(2025, 4, 1) });
    for (const d of sim.days()) this.messages.push(...d);
    this.manifest = sim.manifest;
    await this.store.init();
    await new Ledger(this.store).registerKeys(sim.manifest.registry);
    const admin = new Kafka({ brokers: [BROKERS], logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({ topics: Object.values(this.topics).map((topic) => ({ topic, numPartitions: 2, replicationFactor: 1 })), waitForLeaders: true });
    await admin.disconnect();
  }

  async produce(): Promise<void> {
    const producer = new Kafka({ brokers: [BROKERS], logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    const topicOf = (m: SimulationMessage) => (m.kind === 'ocmf-dataset' ? this.topics.datasets : m.kind === 'metrology-log-entry' ? this.topics.metrologyLog : this.topics.faults);
    for (let i = 0; i < this.messages.length; i += 200) {
      const byTopic = new Map<string, { key: string; value: string }[]>();
      for (const m of this.messages.slice(i, i + 200)) byTopic.set(topicOf(m), [...(byTopic.get(topicOf(m)) ?? []), { key: m.stationId, value: serializeMessage(m) }]);
      await producer.sendBatch({ topicMessages: [...byTopic].map(([topic, messages]) => ({ topic, messages })) });
    }
    await producer.disconnect();
  }

  /**
   * The ingest service as a separate node process, from its build output: the artefact `npm run
   * ingest` and the container image run (jest's global setup builds it).
   */
  startIngest(): ChildProcess {
    const child = spawn(process.execPath, [builtEntry('services/ingest/dist/main.js')], {
      env: {
        ...process.env,
        KAFKA_BROKERS: BROKERS,
        KAFKA_GROUP_ID: `ingest-${this.suffix}`,
        KAFKA_TOPIC_DATASETS: this.topics.datasets,
        KAFKA_TOPIC_METROLOGY_LOG: this.topics.metrologyLog,
        KAFKA_TOPIC_FAULTS: this.topics.faults,
        ...this.pgEnv(),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.push(child);
    return child;
  }

  /**
   * The query service as a separate process from its build output, over this run's ledger schema,
   * with the given `QUERY_API_KEYS`; resolves with its base URL once it answers.
   */
  async startQuery(apiKeys: string): Promise<{ url: string; child: ChildProcess }> {
    const port = await freePort();
    const child = spawn(process.execPath, [builtEntry('services/query/dist/main.js')], {
      env: {
        ...process.env,
        ...this.pgEnv(),
        QUERY_API_KEYS: apiKeys,
        QUERY_PORT: String(port),
        QUERY_HOST: '127.0.0.1',
        QUERY_READ_MODEL_FILE: join(tmpdir(), `query-${this.suffix}.sqlite`),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.children.push(child);
    let output = '';
    child.stdout!.on('data', (b) => (output += b));
    child.stderr!.on('data', (b) => (output += b));
    const url = `http://127.0.0.1:${port}`;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`query exited with ${child.exitCode}: ${output}`);
      if (await fetch(`${url}/verify`).then((r) => r.ok, () => false)) return { url, child };
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  private pgEnv(): Record<string, string> {
    return { LEDGER_STORE: 'postgres', LEDGER_PG_SCHEMA: this.schema, PGHOST: PG.host, PGPORT: String(PG.port), PGUSER: PG.user, PGDATABASE: PG.database };
  }

  /** Messages the ledger holds so far (distinct message ids over every stream). */
  async accounted(): Promise<number> {
    return (await reconcileWithManifest(new Ledger(this.store), this.manifest)).counts.messagesAccounted;
  }

  async waitFor(cond: () => Promise<boolean>, child: ChildProcess): Promise<void> {
    for (;;) {
      if (child.exitCode !== null) throw new Error(`ingest exited with ${child.exitCode}`);
      if (await cond()) return;
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  async waitUntilAllRecorded(child: ChildProcess): Promise<void> {
    await this.waitFor(async () => (await this.accounted()) >= this.manifest.counts.messages, child);
  }

  async cleanup(): Promise<void> {
    for (const c of this.children) if (c.exitCode === null) c.kill('SIGKILL');
    rmSync(join(tmpdir(), `query-${this.suffix}.sqlite`), { force: true });
    for (const suffix of ['-wal', '-shm']) rmSync(join(tmpdir(), `query-${this.suffix}.sqlite${suffix}`), { force: true });
    await this.store.dropSchema();
    await this.store.close();
  }
}
