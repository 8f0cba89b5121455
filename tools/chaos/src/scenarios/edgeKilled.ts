import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OcppFrameSent, SimulationManifest } from '@metrology-ledger/cp800-model';
import { builtEntry, freePort, ocppReceiptIds, parsePrometheusText, sumOf } from '@metrology-ledger/pipeline';
import type { ScenarioRun } from '../ScenarioRun';
import { faultSpecText } from './faultSpecText';
import { pause, type Scenario } from './Scenario';

/** The simulator's first day, as the harness's in-process fleet (KafkaPipelineHarness.prepare) starts it. */
const START = '2025-05-01';
/** OCPP 2.0.1: the station names its transactions, so an edge restarted within a second cannot hand out an id twice (1.6's edge-assigned ids start from the seconds since 2025 at each start). */
const VERSION = '2.0.1';

/** The frames the stations sent so far (the simulator writes them at the end of each simulated day; a line being written is left out). */
function framesIn(file: string): OcppFrameSent[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return [];
  }
  const frames: OcppFrameSent[] = [];
  for (const line of text.split('\n')) {
    try {
      if (line) frames.push(JSON.parse(line) as OcppFrameSent);
    } catch {
      // the last line, half written
    }
  }
  return frames;
}

/** The edge's stations file, made with its own CLI (`add-station … --password-stdin`), as its README says. */
function writeStationsFile(file: string, passwords: Record<string, string>): void {
  for (const [identity, password] of Object.entries(passwords)) {
    const r = spawnSync(process.execPath, [builtEntry('services/ocpp-edge/dist/cli/main.js'), 'add-station', file, identity, '--password-stdin'], { input: `${password}\n`, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`ocpp-edge add-station ${identity} exited with ${r.status}: ${r.stderr.slice(0, 500)}`);
  }
}

/** The edge's Prometheus counter `name` now, or undefined when it does not answer (starting, killed). */
async function edgeCounter(run: ScenarioRun, metricsPort: number, name: string): Promise<number | undefined> {
  try {
    return sumOf(parsePrometheusText(await run.h.scrape(metricsPort)), name);
  } catch {
    return undefined;
  }
}

/**
 * 5. The OCPP edge SIGKILLed while the stations send: the simulated fleet speaks OCPP 2.0.1 (the
 * simulator CLI, `--ocpp`) to the BUILT edge (standalone, security profile 1 on loopback) on a fixed
 * port, which publishes every frame to the cluster's `ocpp-frames` topic before it answers; ingest
 * records the datasets from there. The edge is SIGKILLed at random moments (after a seeded random
 * number of frames received since its start) and started again on the same port after a random pause
 * of up to 2 s, during which the stations' connections are refused. A CALL left unanswered is sent
 * again by its station, after reconnecting, with the same OCPP message id: published twice when the
 * edge had published it before dying, which ingest takes as the same message. The reconciliation maps
 * the ledger's receipt ids back to the simulator's (ocppReceiptIds). The time to recover runs from the
 * last restart to the new edge's first frame published to Kafka (the stations back and sending).
 */
export const edgeKilled: Scenario = {
  name: 'edge-killed',
  title: 'the OCPP edge SIGKILLed at random moments while the simulated stations send over OCPP 2.0.1, restarted on the same port after up to 2 s, 10 times (3 in the short form: 3 stations, one day)',
  // Rates of tools/pipeline's OCPP fleet test, so that even the short form's small fleet has gaps, duplicates, conflicts and rejections.
  faults: { drop: 0.08, duplicate: 0.08, reorder: 0.06, delay: 0.05, tamper: 0.06, wrongKey: 0.05, conflict: 0.06, keyReplace: 0.3 },
  fleet: (common, short) => (short ? { stations: 3, days: 1 } : common),
  async act({ run, random, short }) {
    const kills = short ? 3 : 10;
    const dir = mkdtempSync(join(tmpdir(), 'chaos-edge-'));
    let sim: ChildProcess | undefined;
    try {
      const stationIds = run.h.manifest.registry.map((s) => s.stationId).filter((id, i, all) => all.indexOf(id) === i);
      const passwords = Object.fromEntries(stationIds.map((id) => [id, randomBytes(16).toString('hex')]));
      const passwordsFile = join(dir, 'passwords.json');
      writeFileSync(passwordsFile, JSON.stringify(passwords), { mode: 0o600 });
      const stationsFile = join(dir, 'stations.json');
      writeStationsFile(stationsFile, passwords);

      const port = await freePort();
      const startEdge = async (n: number) => {
        const { child } = await run.h.startEdge({
          EDGE_MODE: 'standalone',
          EDGE_PORT: String(port),
          EDGE_SECURITY_PROFILES: '1',
          EDGE_ALLOW_SP1: 'true',
          EDGE_STATIONS_FILE: stationsFile,
          EDGE_INSTANCE_ID: `edge-chaos-${run.h.suffix}-${n}`,
        });
        return { child, metricsPort: Number(await run.h.logged(child, 'metricsPort')) };
      };
      let edge = await startEdge(0);
      for (let i = 0; i < 2; i++) run.startIngest();

      // The fleet over OCPP, from the simulator's build, as `npm run --silent sim -- … --ocpp` runs it.
      const framesFile = join(dir, 'frames.jsonl');
      const manifestFile = join(dir, 'manifest.json');
      const stations = stationIds.length;
      const stationsProcess = spawn(
        process.execPath,
        [
          builtEntry('libs/cp800-model/dist/sim/main.js'),
          ...['--stations', String(stations), '--days', String(run.plan.days), '--seed', String(run.plan.seed), '--start', START, '--faults', faultSpecText(run.plan.faults)],
          ...['--out', framesFile, '--manifest', manifestFile],
          ...['--ocpp', `ws://127.0.0.1:${port}`, '--ocpp-version', VERSION, '--security-profile', '1', '--passwords', passwordsFile, '--concurrency', String(stations)],
        ],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      sim = stationsProcess;
      let simErr = '';
      stationsProcess.stderr!.setEncoding('utf8').on('data', (t: string) => (simErr = (simErr + t).slice(-4000)));
      let simEnded = false;
      const sending = new Promise<void>((resolve) =>
        stationsProcess.once('exit', (code, signal) => {
          simEnded = true;
          if (code !== 0) run.failures.push(`the simulator (the stations) ended with ${code ?? signal}: ${simErr.trim().split('\n').slice(-3).join(' | ').slice(0, 500)}`);
          resolve();
        }),
      );
      let finalIds: Map<string, string> | undefined;
      run.sendOverOcpp(sending, () => {
        const ids = finalIds ?? ocppReceiptIds(framesIn(framesFile));
        run.published = new Set([...ids.values()].filter((id) => id.includes(':ocmf:'))).size;
        return ids;
      });

      // The simulator does not retry a station's FIRST connection (refused, it ends the run, as it
      // should for a wrong URL): the kills begin once every station has connected.
      while (!simEnded && ((await edgeCounter(run, edge.metricsPort, 'edge_connections_total')) ?? 0) < stations) await pause(20);
      // A frame per delivered message, plus two per dataset session (2.0.1: three TransactionEvents carry
      // one dataset); the kills are spread so that even the longest draws fit in the stations' frames.
      const framesPerUptime = (run.h.manifest.counts.messages + 2 * run.total) / (1.5 * kills + 1);
      for (let k = 0; k < kills && !simEnded; k++) {
        const after = Math.max(1, Math.round(random.between(0.5, 1.5) * framesPerUptime));
        while (!simEnded && ((await edgeCounter(run, edge.metricsPort, 'edge_frames_total')) ?? 0) < after) await pause(20);
        if (simEnded) break;
        const exited = new Promise((r) => edge.child.once('exit', r));
        edge.child.kill('SIGKILL');
        await exited;
        run.faultsInjected++;
        run.log(`chaos: edge-killed: edge SIGKILLed after ${after} frames (${k + 1} of ${kills})`);
        await pause(random.between(0, 2000));
        edge = await startEdge(k + 1);
      }
      run.healed();
      const restarted = Date.now();
      while (!simEnded && ((await edgeCounter(run, edge.metricsPort, 'edge_frames_published_total')) ?? 0) === 0) await pause(20);
      if (!simEnded) run.recoveredAfter(Date.now() - restarted);
      await sending;
      if (run.faultsInjected < kills) run.failures.push(`the stations were done after ${run.faultsInjected} of ${kills} kills of the edge`);

      // The frames and the manifest the simulator wrote; its manifest must be the in-process one the ledger's keys come from.
      const frames = framesIn(framesFile);
      finalIds = ocppReceiptIds(frames);
      const resent = frames.filter((f) => f.sends > 1).length;
      run.log(`chaos: edge-killed: ${frames.length} frames sent, ${resent} of them again after a kill`);
      if (resent === 0) run.failures.push('no station sent a frame again: the kills did not catch a CALL unanswered');
      try {
        const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as SimulationManifest;
        const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
        if (!same(manifest.registry, run.h.manifest.registry) || !same(manifest.counts, run.h.manifest.counts)) run.failures.push('the simulator CLI made another fleet than the harness (registry or counts differ)');
      } catch (e) {
        run.failures.push(`the simulator wrote no readable manifest: ${(e as Error).message.slice(0, 200)}`);
      }
    } finally {
      // The run broke (an edge that would not start again): the stations end with it.
      if (sim && sim.exitCode === null && sim.signalCode === null) sim.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
