import { parsePrometheusText, sumOf } from '@metrology-ledger/pipeline';
import { pause, type Scenario } from './Scenario';

/**
 * 6. Two ingest processes that both believe they own every partition: one in the run's group, one in
 * a group of its own (a zombie that never learnt of the rebalance), so both record every message at
 * the same time; the first is frozen (SIGSTOP) mid-stream and thawed (SIGCONT) with what it had
 * fetched. Optimistic concurrency per stream must keep each stream's order and record nothing twice:
 * over both processes, each message is recorded (or rejected) once, the other attempt finds it held.
 */
export const zombieConsumer: Scenario = {
  name: 'zombie-consumer',
  title: 'two ingest processes both owning every partition (two groups), one frozen with SIGSTOP for a fifth of the traffic and thawed: each message recorded once',
  async act({ run, trafficMs }) {
    const owner = run.startIngest();
    const zombie = run.startIngest({ KAFKA_GROUP_ID: `zombie-${run.h.suffix}` });
    const metricsPorts = await Promise.all([owner, zombie].map(async (c) => Number(await run.h.logged(c, 'metricsPort'))));
    const publishing = run.publish(trafficMs);
    await run.publishedFraction(0.3);
    owner.kill('SIGSTOP');
    run.faultsInjected++;
    await pause(trafficMs / 5);
    owner.kill('SIGCONT');
    run.healed();
    await publishing;
    await run.settle();
    // Both must have gone through everything: wait until each process's counters cover every message.
    const outcomes = async () => Promise.all(metricsPorts.map(async (p) => parsePrometheusText(await run.h.scrape(p))));
    const until = Date.now() + 120_000;
    for (;;) {
      const series = await outcomes();
      const seen = series.map((s) => sumOf(s, 'ingest_messages_total'));
      if (seen.every((n) => n >= run.total) || Date.now() > until) {
        const firstRecords = series.reduce((n, s) => n + sumOf(s, 'ingest_messages_total') - sumOf(s, 'ingest_messages_total', { outcome: 'redelivered' }), 0);
        if (seen.some((n) => n < run.total)) run.failures.push(`the two processes went through ${seen.join(' and ')} of ${run.total} messages`);
        if (firstRecords !== run.total) run.failures.push(`over both processes ${firstRecords} messages were first records (recorded, rejected or nothing to record), not ${run.total}: something was recorded twice or never`);
        return;
      }
      await pause(1000);
    }
  },
};
