import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_FAULTS, SeededRandom } from '@metrology-ledger/cp800-model';
import { freePort } from '@metrology-ledger/pipeline';
import { KafkaCluster } from './KafkaCluster';
import { OwnPostgres } from './OwnPostgres';
import type { ScenarioResult } from './ScenarioResult';
import { ScenarioRun } from './ScenarioRun';
import type { Scenario } from './scenarios';

/** The simulator faults every scenario carries, so that the manifest has gaps, duplicates, conflicts and rejections to find. */
export const COMMON_FAULTS = { ...DEFAULT_FAULTS, drop: 0.01, duplicate: 0.01, reorder: 0.01, delay: 0.005, tamper: 0.005, wrongKey: 0.005, conflict: 0.005, keyReplace: 0.1 };

/** Messages per second the simulated stations send during a scenario. */
export const MESSAGES_PER_SECOND = 40;
/** The short form's traffic time per scenario (CI). */
export const SHORT_TRAFFIC_MS = 20_000;

/**
 * Everything a chaos run starts, and the one place that stops it: a temporary directory holding the
 * three-node Kafka cluster and a PostgreSQL of its own, and the scenario running now. `stop` is
 * idempotent and is called on success, on failure and on SIGINT/SIGTERM.
 */
export class ChaosRig {
  readonly dir = mkdtempSync(join(tmpdir(), 'chaos-'));
  readonly cluster = new KafkaCluster(join(this.dir, 'kafka'));
  pg!: OwnPostgres;
  private current?: ScenarioRun;
  private stopped = false;

  constructor(private readonly log: (line: string) => void = () => undefined) {}

  async start(): Promise<void> {
    this.pg = new OwnPostgres(join(this.dir, 'pg'), await freePort());
    this.log(`chaos: PostgreSQL of its own on 127.0.0.1:${this.pg.port} (${this.pg.dir})`);
    this.pg.init();
    this.pg.start();
    this.log(`chaos: three Kafka nodes on ${this.cluster.brokers} (${this.cluster.dir})`);
    this.cluster.start();
  }

  /** Runs one scenario on its own topics, schema and group, and reconciles. `trafficMs` undefined: the short form. */
  async run(scenario: Scenario, seed: number, trafficMs?: number): Promise<ScenarioResult> {
    const short = trafficMs === undefined;
    const ms = trafficMs ?? SHORT_TRAFFIC_MS;
    const run = new ScenarioRun(scenario.name, { brokers: this.cluster.brokers, pg: this.pg.connection }, this.log);
    this.current = run;
    try {
      // A CP800 station sends about 18 messages a simulated day with these faults; size the fleet to the traffic.
      const common = { stations: 8, days: Math.max(1, Math.round((MESSAGES_PER_SECOND * ms) / 1000 / 8 / 18)) };
      const { stations, days } = scenario.fleet?.(common, short) ?? common;
      await run.prepare({ seed, stations, days, faults: { ...COMMON_FAULTS, ...scenario.faults } });
      this.log(`chaos: ${scenario.name}: ${run.total} messages over ${Math.round(ms / 1000)} s`);
      await scenario.act({ run, cluster: this.cluster, pg: this.pg, random: new SeededRandom(seed), trafficMs: ms, short });
      await run.settle();
      return await run.finish();
    } finally {
      await run.teardown();
      this.current = undefined;
    }
  }

  /** Ends every process of the run (the scenario's, the Kafka nodes, PostgreSQL) and removes the directory. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await this.current?.teardown();
    this.cluster.stop();
    this.pg?.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
