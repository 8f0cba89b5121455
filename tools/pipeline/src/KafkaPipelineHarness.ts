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

/** One series of a Prometheus text exposition. */
export interface Series {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses Prometheus text (format 0.0.4) into series; comments and blank lines are skipped. */
export function parsePrometheusText(text: string): Series[] {
  const out: Series[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? ([-+]?(?:\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|NaN|Inf))(?: -?\d+)?$/.exec(line);
    if (!m) throw new Error(`not a Prometheus sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]] = l[2].replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    out.push({ name: m[1], labels, value: Number(m[3]) });
  }
  return out;
}

/** The sum of the series named `name` whose labels include `labels` (0 when there is none). */
export function sumOf(series: Series[], name: string, labels: Record<string, string> = {}): number {
  return series.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((sum, s) => sum + s.value, 0);
}

/** Extra settings for a service started by the harness; they win over the harness's own. */
export interface ServiceStartOptions {
  env?: Record<string, string>;
}

/** Where a harness runs: the shared broker and PostgreSQL unless told otherwise (tools/chaos runs its own). */
export interface HarnessPlacement {
  /** `host:port[,host:port…]` */
  brokers?: string;
  /** Where PostgreSQL is; `idleTimeoutMillis` for the harness's own connections (the services take host, port, user and database). */
  pg?: typeof PG & { idleTimeoutMillis?: number };
  /** Topics of this run: partitions, replicas and topic settings (e.g. `min.insync.replicas`). */
  topics?: { numPartitions: number; replicationFactor: number; configEntries?: { name: string; value: string }[] };
}

export class KafkaPipelineHarness {
  readonly suffix = randomBytes(4).toString('hex');
  readonly brokers: string;
  readonly pg: typeof PG & { idleTimeoutMillis?: number };
  private readonly topicSettings: NonNullable<HarnessPlacement['topics']>;
  readonly schema = `e2e_${this.suffix}`;
  readonly topics = { datasets: `ocmf-datasets-${this.suffix}`, metrologyLog: `metrology-log-${this.suffix}`, faults: `station-faults-${this.suffix}`, ocppFrames: `ocpp-frames-${this.suffix}` };
  readonly store: PostgresEventStore;
  readonly children: ChildProcess[] = [];
  /** What each child wrote to stdout and stderr, in arrival order (read, so that a child never blocks on a full pipe). */
  private readonly outputs = new Map<ChildProcess, string[]>();
  messages: SimulationMessage[] = [];
  manifest!: SimulationManifest;

  constructor(placement: HarnessPlacement = {}) {
    this.brokers = placement.brokers ?? BROKERS;
    this.pg = placement.pg ?? PG;
    this.topicSettings = placement.topics ?? { numPartitions: 2, replicationFactor: 1 };
    this.store = new PostgresEventStore({ ...this.pg, schema: this.schema });
  }

  /** Creates this run's four topics. */
  private async createTopics(): Promise<void> {
    const admin = new Kafka({ brokers: this.brokers.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      // On a cluster a node may not know a new topic yet when asked for its leaders: ask again (an existing topic is not an error).
      for (let attempt = 1; ; attempt++) {
        try {
          await admin.createTopics({ topics: Object.values(this.topics).map((topic) => ({ topic, ...this.topicSettings })), waitForLeaders: true });
          break;
        } catch (e) {
          if ((e as { type?: string }).type !== 'UNKNOWN_TOPIC_OR_PARTITION' || attempt === 20) throw e;
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    } finally {
      await admin.disconnect();
    }
  }

  /** The topic a simulated message is published to. */
  topicOf(m: SimulationMessage): string {
    return m.kind === 'ocmf-dataset' ? this.topics.datasets : m.kind === 'metrology-log-entry' ? this.topics.metrologyLog : this.topics.faults;
  }

  async prepare(options: { seed: number; stations: number; days: number; faults: FaultSpec }): Promise<void> {
    const sim = new FleetSimulator({ ...options, start: Date.UTC(2025, 4, 1) });
    for (const d of sim.days()) this.messages.push(...d);
    this.manifest = sim.manifest;
    await this.store.init();
    await new Ledger(this.store).registerKeys(sim.manifest.registry);
    await this.createTopics();
  }

  /** This run's store and topics without a simulated fleet: the test registers the keys it signs with. */
  async prepareEmpty(): Promise<void> {
    await this.store.init();
    await this.createTopics();
  }

  async produce(): Promise<void> {
    const producer = new Kafka({ brokers: this.brokers.split(','), logLevel: logLevel.NOTHING }).producer();
    await producer.connect();
    const topicOf = (m: SimulationMessage) => this.topicOf(m);
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
  startIngest(options: ServiceStartOptions = {}): ChildProcess {
    const child = spawn(process.execPath, [builtEntry('services/ingest/dist/main.js')], {
      env: {
        ...process.env,
        KAFKA_BROKERS: this.brokers,
        KAFKA_GROUP_ID: `ingest-${this.suffix}`,
        KAFKA_TOPIC_DATASETS: this.topics.datasets,
        KAFKA_TOPIC_METROLOGY_LOG: this.topics.metrologyLog,
        KAFKA_TOPIC_FAULTS: this.topics.faults,
        KAFKA_TOPIC_OCPP_FRAMES: this.topics.ocppFrames,
        // Any free port: several services (and test files) run on one machine at once.
        INGEST_HEALTH_PORT: '0',
        METRICS_PORT: '0',
        ...this.pgEnv(),
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.capture(child);
    return child;
  }

  /**
   * The OCPP edge (services/ocpp-edge) as a separate process from its build output, writing to this
   * run's `ocpp-frames` topic; `env` holds its mode, TLS and stations settings. Resolves with its
   * WebSocket port once it listens.
   */
  async startEdge(env: Record<string, string>): Promise<{ port: number; child: ChildProcess }> {
    const child = spawn(process.execPath, [builtEntry('services/ocpp-edge/dist/main.js')], {
      env: { PATH: process.env.PATH ?? '', KAFKA_BROKERS: this.brokers, KAFKA_TOPIC_OCPP_FRAMES: this.topics.ocppFrames, EDGE_HOST: '127.0.0.1', EDGE_PORT: '0', EDGE_HEALTH_PORT: '0', METRICS_PORT: '0', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.capture(child);
    for (;;) {
      const m = /listening on wss?:\/\/127\.0\.0\.1:(\d+)\//.exec(this.outputOf(child));
      if (m) return { port: Number(m[1]), child };
      if (child.exitCode !== null) throw new Error(`ocpp-edge exited with ${child.exitCode}: ${this.outputOf(child)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * The query service as a separate process from its build output, over this run's ledger schema,
   * with the given `QUERY_API_KEYS`; resolves with its base URL once it answers.
   */
  async startQuery(apiKeys: string, options: ServiceStartOptions = {}): Promise<{ url: string; child: ChildProcess }> {
    // A port given in `env` (a setting such as OCPI_PUBLIC_URL must name it before the start) is the one waited for.
    const port = options.env?.QUERY_PORT !== undefined ? Number(options.env.QUERY_PORT) : await freePort();
    const child = spawn(process.execPath, [builtEntry('services/query/dist/main.js')], {
      env: {
        ...process.env,
        ...this.pgEnv(),
        QUERY_API_KEYS: apiKeys,
        QUERY_PORT: String(port),
        QUERY_HOST: '127.0.0.1',
        QUERY_READ_MODEL_FILE: join(tmpdir(), `query-${this.suffix}.sqlite`),
        METRICS_PORT: '0',
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.capture(child);
    const url = `http://127.0.0.1:${port}`;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`query exited with ${child.exitCode}: ${this.outputOf(child)}`);
      if (await fetch(`${url}/verify`).then((r) => r.ok, () => false)) return { url, child };
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * The edge's records of one station in this run's `ocpp-frames` topic, in the order the edge wrote
   * them (one partition per station: the key is the identity), up to the end of the topic now.
   */
  async framesOf(identity: string): Promise<{ messageId: string; identity: string; messageType: string; action: string; frame: string }[]> {
    const kafka = new Kafka({ brokers: [BROKERS], logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    const ends = await admin.fetchTopicOffsets(this.topics.ocppFrames);
    await admin.disconnect();
    const waiting = new Map(ends.filter((p) => BigInt(p.high) > 0n).map((p) => [p.partition, BigInt(p.high)]));
    const records: { messageId: string; identity: string; messageType: string; action: string; frame: string }[] = [];
    if (waiting.size === 0) return records;
    const consumer = kafka.consumer({ groupId: `frames-reader-${this.suffix}-${randomBytes(4).toString('hex')}` });
    await consumer.connect();
    await consumer.subscribe({ topic: this.topics.ocppFrames, fromBeginning: true });
    await new Promise<void>((resolve, reject) => {
      consumer
        .run({
          eachMessage: async ({ partition, message }) => {
            const end = waiting.get(partition);
            if (end === undefined || BigInt(message.offset) >= end) return;
            const record = JSON.parse(String(message.value)) as (typeof records)[number];
            if (record.identity === identity) records.push(record);
            if (BigInt(message.offset) + 1n >= end) waiting.delete(partition);
            if (waiting.size === 0) resolve();
          },
        })
        .catch(reject);
    });
    await consumer.disconnect();
    return records;
  }

  /** Everything a child started here has written to stdout and stderr so far. */
  outputOf(child: ChildProcess): string {
    return (this.outputs.get(child) ?? []).join('');
  }

  /** The JSON log lines of a child started here (lines that are not JSON are left out). */
  logLinesOf(child: ChildProcess): Record<string, unknown>[] {
    return this.outputOf(child)
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => {
        try {
          return JSON.parse(l) as Record<string, unknown>;
        } catch {
          return undefined;
        }
      })
      .filter((l): l is Record<string, unknown> => l !== undefined);
  }

  /** Waits until a child's JSON log has a line with `field` (e.g. `metricsPort`), and returns its value. */
  async logged(child: ChildProcess, field: string): Promise<unknown> {
    for (;;) {
      const line = this.logLinesOf(child).find((l) => l[field] !== undefined);
      if (line) return line[field];
      if (child.exitCode !== null) throw new Error(`service exited with ${child.exitCode} before logging ${field}: ${this.outputOf(child)}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The Prometheus text a service serves on its metrics port. */
  async scrape(metricsPort: number): Promise<string> {
    const r = await fetch(`http://127.0.0.1:${metricsPort}/metrics`);
    if (!r.ok) throw new Error(`GET /metrics answered ${r.status}`);
    return r.text();
  }

  /** Resolves with a child's exit code (null: ended by a signal), or rejects when it has not exited within `ms`. */
  exitOf(child: ChildProcess, ms: number): Promise<number | null> {
    if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the process did not exit within ${ms} ms: ${this.outputOf(child).slice(-2000)}`)), ms);
      child.once('exit', (code) => {
        clearTimeout(timer);
        resolve(code);
      });
    });
  }

  private capture(child: ChildProcess): void {
    this.children.push(child);
    const chunks: string[] = [];
    this.outputs.set(child, chunks);
    for (const stream of [child.stdout!, child.stderr!]) stream.setEncoding('utf8').on('data', (text: string) => chunks.push(text));
  }

  private pgEnv(): Record<string, string> {
    return { LEDGER_STORE: 'postgres', LEDGER_PG_SCHEMA: this.schema, PGHOST: this.pg.host, PGPORT: String(this.pg.port), PGUSER: this.pg.user, PGDATABASE: this.pg.database };
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
