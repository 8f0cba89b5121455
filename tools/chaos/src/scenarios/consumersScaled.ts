import type { Scenario } from './Scenario';

/** 4. Consumers scaled 1 → 3 → 1 while the stations send (each join and each leave is a rebalance). */
export const consumersScaled: Scenario = {
  name: 'consumers-scaled',
  title: 'ingest scaled 1 -> 3 -> 1 while the stations send: two joins at a quarter of the traffic, two SIGTERMs (graceful leave) at 60 %',
  async act({ run, trafficMs }) {
    run.startIngest();
    const publishing = run.publish(trafficMs);
    await run.publishedFraction(0.25);
    const added = [run.startIngest(), run.startIngest()];
    run.faultsInjected += 2;
    await run.publishedFraction(0.6);
    for (const c of added) {
      await run.kill(c, 'SIGTERM');
      run.faultsInjected++;
      if (c.exitCode !== 0) run.failures.push(`an ingest process ended with ${c.exitCode ?? c.signalCode} on SIGTERM, not 0`);
    }
    run.healed();
    await publishing;
  },
};
