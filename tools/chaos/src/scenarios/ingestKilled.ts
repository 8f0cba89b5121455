import { pause, type Scenario } from './Scenario';

/** 1. An ingest process SIGKILLed at random moments (20 times; 8 in the short form), restarted at once each time. */
export const ingestKilled: Scenario = {
  name: 'ingest-killed',
  title: 'three ingest processes in one group; one of them SIGKILLed at random moments and restarted at once, 20 times (8 in the short form)',
  async act({ run, random, trafficMs, short }) {
    const kills = short ? 8 : 20;
    for (let i = 0; i < 3; i++) run.startIngest();
    const publishing = run.publish(trafficMs);
    const spacing = trafficMs / (kills + 1);
    for (let k = 0; k < kills; k++) {
      await pause(random.between(0.5, 1.5) * spacing);
      await run.kill(random.pick(run.ingests), 'SIGKILL');
      run.faultsInjected++;
      run.startIngest();
    }
    run.healed();
    await publishing;
  },
};
