import { ChaosRig } from './ChaosRig';
import { SCENARIOS } from './scenarios';

// Every scenario of issue 11 in its short form, on a three-node Kafka cluster (scripts/kafka.sh
// cluster mode, ports 29092-29097) and a PostgreSQL of its own, with the built ingest and query
// services. Asserts the reconciliation with the manifest, never timings.
const rig = new ChaosRig((line) => process.stderr.write(`${line}\n`));

beforeAll(() => rig.start(), 300_000);
afterAll(() => rig.stop(), 120_000);

describe('chaos scenarios (short form)', () => {
  it.each(SCENARIOS.map((s, i) => [s.name, s, i] as const))('%s: nothing lost or doubled, the injected gaps, chains intact', async (_, scenario, i) => {
    const r = await rig.run(scenario, 1000 + i);
    expect(r.failures).toEqual([]);
    expect(r.faultsInjected).toBeGreaterThan(0);
    expect(r.messagesSent).toBeGreaterThan(0);
    expect(r.lost).toBe(0);
    expect(r.duplicated).toBe(0);
    expect(r.gapsReported).toBe(r.gapsInjected);
    expect(r.gapsInjected).toBeGreaterThan(0);
    expect(r.chainsIntact).toBe(true);
  }, 600_000);
});
