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
    await pause(short ? trafficMs / 3 : 60_000);
    await cluster.restart(busiest.leader);
    run.healed();
    await publishing;
  },
};
