// Worker thread: simulates one part of the fleet and hands each day's deliveries, already serialised
// to bytes and sorted, to the main thread, which merges the parts.
import { parentPort, workerData } from 'node:worker_threads';
import type { EncodedDeliveries } from './EncodedDeliveries';
import { FleetSimulator, type SimulationOptions } from './FleetSimulator';

export interface WorkerDay extends EncodedDeliveries {
  day: number;
  datasets: number;
}

const sim = new FleetSimulator(workerData as SimulationOptions);
const port = parentPort!;

port.on('message', (msg: { cmd: 'day'; day: number } | { cmd: 'manifest' } | { cmd: 'recycle'; buffer: ArrayBuffer }) => {
  if (msg.cmd === 'recycle') {
    sim.recycle(msg.buffer);
    return;
  }
  if (msg.cmd === 'manifest') {
    port.postMessage({ manifest: sim.manifest });
    return;
  }
  const encoded = sim.dayEncoded(msg.day);
  const result: WorkerDay = { day: msg.day, ...encoded, datasets: sim.manifest.counts.datasets };
  port.postMessage(result, [encoded.times.buffer, encoded.ends.buffer, encoded.bytes.buffer]);
});
