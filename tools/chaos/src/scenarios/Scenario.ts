import type { FaultSpec, SeededRandom } from '@metrology-ledger/cp800-model';
import type { KafkaCluster } from '../KafkaCluster';
import type { OwnPostgres } from '../OwnPostgres';
import type { ScenarioRun } from '../ScenarioRun';

/** What a scenario acts on. */
export interface ScenarioContext {
  run: ScenarioRun;
  cluster: KafkaCluster;
  pg: OwnPostgres;
  random: SeededRandom;
  /** How long the stations send. */
  trafficMs: number;
  /** The short form (CI): fewer faults where the count would not fit the traffic time. */
  short: boolean;
}

/**
 * One fault scenario of issue 11: starts its ingest processes, publishes the fleet's traffic
 * (`run.publish`), injects its faults while the stations send, counts them (`run.faultsInjected`),
 * marks the end of the last one (`run.healed`), notes failed checks (`run.failures`), and returns once
 * everything is published. The reconciliation is common to every scenario (ScenarioRun.finish).
 */
export interface Scenario {
  name: string;
  /** What is done, for the help text and the README. */
  title: string;
  /** Simulator faults on top of the common ones (e.g. clock jumps). */
  faults?: Partial<FaultSpec>;
  /** The fleet's size when not the common one (8 stations, days sized to the traffic time). */
  fleet?: (common: { stations: number; days: number }, short: boolean) => { stations: number; days: number };
  act(ctx: ScenarioContext): Promise<void>;
}

export const pause = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
