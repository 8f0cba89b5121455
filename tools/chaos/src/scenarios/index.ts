import { brokerKilled } from './brokerKilled';
import { clockJumps } from './clockJumps';
import { consumersScaled } from './consumersScaled';
import { edgeKilled } from './edgeKilled';
import { ingestKilled } from './ingestKilled';
import { postgresStopped } from './postgresStopped';
import type { Scenario } from './Scenario';
import { zombieConsumer } from './zombieConsumer';

export type { Scenario, ScenarioContext } from './Scenario';

/** The scenarios of issue 11 (5, the edge, last: it came last, and each scenario's seed follows its place here). */
export const SCENARIOS: readonly Scenario[] = [ingestKilled, brokerKilled, postgresStopped, consumersScaled, zombieConsumer, clockJumps, edgeKilled];

/** Scenarios of the issue this harness does not run, with why (none today). */
export const NOT_BUILT: Record<string, string> = {};
