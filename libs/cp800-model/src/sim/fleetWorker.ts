// Worker thread: simulates one part of the fleet and hands each day's deliveries, already serialised
// and sorted, to the main thread, which merges the parts.
import { parentPort, workerData } from 'node:worker_threads';
import { FleetSimulator, type SimulationOptions } from './FleetSimulator';
import { serializeMessage } from './serializeMessage';

export interface WorkerDay {
  day: number;
  times: Float64Array;
  ids: string[];
  /** One JSON line per message, in the same order, joined with "\n". */
  lines: string;
  stationsDone: number;
  datasets: number;
}

const sim = new FleetSimulator(workerData as SimulationOptions);
const port = parentPort!;

port.on('message', (msg: { cmd: 'day'; day: number } | { cmd: 'manifest' }) => {
  if (msg.cmd === 'manifest') {
    port.postMessage({ manifest: sim.manifest });
    return;
  }
  const timed = sim.day(msg.day);
  const times = new Float64Array(timed.length);
  const ids: string[] = new Array(timed.length);
  const lines: string[] = new Array(timed.length);
  timed.forEach((t, i) => {
    times[i] = t.sentAtMs;
    ids[i] = t.message.messageId;
    lines[i] = serializeMessage(t.message);
  });
  const result: WorkerDay = { day: msg.day, times, ids, lines: lines.join('\n'), stationsDone: 0, datasets: sim.manifest.counts.datasets };
  port.postMessage(result, [times.buffer]);
});
