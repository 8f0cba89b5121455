import type { ChildProcess } from 'node:child_process';
import { movedOffsets } from './movedOffsets';
import { pause, type Scenario } from './Scenario';

async function readyStatus(port: number): Promise<number> {
  return fetch(`http://127.0.0.1:${port}/health/ready`).then((r) => r.status, () => 0);
}

/**
 * 3. PostgreSQL stopped (`pg_ctl stop -m immediate`) for 30 s (a third of the traffic time in the short
 * form) and started again: ingest stops committing offsets, reports not ready, and resumes by itself.
 */
export const postgresStopped: Scenario = {
  name: 'postgres-stopped',
  title: 'PostgreSQL stopped with pg_ctl stop -m immediate for 30 s (a third of the traffic time in the short form), then started: offsets stay, readiness goes down and comes back by itself',
  async act({ run, cluster, pg, trafficMs, short }) {
    const ingests: ChildProcess[] = [run.startIngest(), run.startIngest()];
    const healthPorts = await Promise.all(ingests.map(async (c) => Number(await run.h.logged(c, 'healthPort'))));
    const publishing = run.publish(trafficMs);
    await run.publishedFraction(0.3);
    await pg.stopImmediately();
    run.faultsInjected++;
    const outageMs = short ? trafficMs / 3 : 30_000;
    const stoppedAt = Date.now();
    // What was recorded just before the stop may still be committed; after that nothing may move.
    await pause(Math.min(3000, outageMs / 3));
    const groupId = `ingest-${run.h.suffix}-server`;
    const topics = Object.values(run.h.topics);
    const admin = cluster.admin();
    await admin.connect();
    try {
      // Committed offsets by `topic/partition`, compared by `movedOffsets`.
      const committed = async () =>
        new Map((await admin.fetchOffsets({ groupId, topics })).flatMap((t) => t.partitions.map((p) => [`${t.topic}/${p.partition}`, String(p.offset)] as const)));
      const first = await committed();
      const notReady = new Set<number>();
      while (Date.now() - stoppedAt < outageMs) {
        for (const port of healthPorts) if ((await readyStatus(port)) === 503) notReady.add(port);
        await pause(500);
      }
      const last = await committed();
      const moved = movedOffsets(first, last);
      if (moved.length > 0) run.failures.push(`committed offsets moved while PostgreSQL was down: ${moved.join(', ').slice(0, 600)}`);
      if (notReady.size !== healthPorts.length) run.failures.push(`${healthPorts.length - notReady.size} of ${healthPorts.length} ingest processes never answered 503 on /health/ready while PostgreSQL was down`);
    } finally {
      await admin.disconnect();
    }
    await pg.restart();
    run.healed();
    // A process that died during the outage is already a failed check; it is started again, as its
    // orchestrator would, so that the reconciliation still shows whether anything was lost.
    const alive = ingests.map((c, i) => ({ c, port: healthPorts[i] })).filter(({ c }) => c.exitCode === null && c.signalCode === null);
    const restarted = ingests.filter((c) => !alive.some((a) => a.c === c)).map(() => run.startIngest());
    const ports = [...alive.map((a) => a.port), ...(await Promise.all(restarted.map(async (c) => Number(await run.h.logged(c, 'healthPort')))))];
    await publishing;
    const until = Date.now() + 120_000;
    for (const port of ports) {
      while ((await readyStatus(port)) !== 200 && Date.now() < until) await pause(500);
      if ((await readyStatus(port)) !== 200) run.failures.push(`ingest on health port ${port} was not ready again 120 s after PostgreSQL came back`);
    }
  },
};
