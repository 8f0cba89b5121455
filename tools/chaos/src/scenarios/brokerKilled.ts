import { pause, type Scenario } from './Scenario';

/** 2. The node leading the busiest partition SIGKILLed mid-stream, started again a minute later (less in the short form). */
export const brokerKilled: Scenario = {
  name: 'broker-killed',
  title: 'the Kafka node leading the busiest dataset partition SIGKILLed at a third of the traffic, restarted 60 s later (a third of the traffic time in the short form)',
  async act({ run, cluster, trafficMs, short }) {
    for (let i = 0; i < 2; i++) run.startIngest();
    const publishing = run.publish(trafficMs);
    await run.publishedFraction(0.3);
    const busiest = await cluster.busiestPartitionLeader(run.h.topics.datasets);
    await cluster.kill(busiest.leader);
    run.faultsInjected++;
    const before = run.published;
    await pause(short ? trafficMs / 3 : 60_000);
    const during = run.published - before;
    await cluster.restart(busiest.leader);
    run.healed();
    if (during === 0 && run.published < run.total) run.failures.push(`nothing was published while node ${busiest.leader} was down (acks=all with min.insync.replicas 2 should still take writes)`);
    await publishing;
  },
};
