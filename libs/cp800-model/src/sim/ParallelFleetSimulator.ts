import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { SimulationOptions } from './FleetSimulator';
import { mergeEncoded } from './EncodedDeliveries';
import { mergeManifests } from './ManifestMerge';
import type { SimulationManifest } from './SimulationManifest';
import type { WorkerDay } from './fleetWorker';

/**
 * Runs the fleet on worker threads (one per core by default), each with a contiguous part of the
 * stations, and merges their days into one delivery order. The output is identical to a single
 * FleetSimulator's for the same options (payloads and order; signature bytes differ with OpenSSL's
 * random k). Workers compute the next day while the previous one is written.
 */
export class ParallelFleetSimulator {
  private readonly workers: Worker[];
  /** The merged day's buffer, used again for the next day once the consumer has it written. */
  private merged: Buffer | undefined;

  constructor(
    private readonly options: SimulationOptions,
    workers = Math.max(1, Math.min(availableParallelism(), options.stations)),
  ) {
    const per = Math.ceil(options.stations / workers);
    const ts = __filename.endsWith('.ts');
    // Only as many workers as have stations: a worker started with none would keep the process alive.
    this.workers = Array.from({ length: Math.ceil(options.stations / per) }, (_, w) => {
      const range: [number, number] = [w * per, Math.min(options.stations, (w + 1) * per)];
      const script = __filename.replace(/ParallelFleetSimulator\.(ts|js)$/, `fleetWorker.$1`);
      // Run from TypeScript sources (tsx, jest), the worker registers tsx itself before loading the script.
      // A larger young generation: the simulation allocates many short-lived strings, and fewer
      // scavenges make it markedly faster.
      const common = { workerData: { ...options, range }, resourceLimits: { maxYoungGenerationSizeMb: 128 } };
      return ts
        ? new Worker(`require('tsx/cjs/api').register(); require(${JSON.stringify(script)});`, { ...common, eval: true })
        : new Worker(script, common);
    });
  }

  private ask(worker: Worker, day: number): Promise<WorkerDay> {
    return new Promise((resolve, reject) => {
      const onMessage = (m: WorkerDay) => {
        worker.off('error', reject);
        resolve(m);
      };
      worker.once('message', onMessage);
      worker.once('error', reject);
      worker.postMessage({ cmd: 'day', day });
    });
  }

  /**
   * Each day's JSON lines in delivery order, as bytes (each line ends in "\n"); `datasets`: signed so far.
   * `bytes` is used again for a later day: write (and wait for the write) or copy it before asking for
   * the next day.
   */
  async *days(): AsyncGenerator<{ day: number; bytes: Buffer; messages: number; datasets: number }> {
    const pending = this.workers.map((w) => this.ask(w, 0));
    for (let d = 0; d < this.options.days; d++) {
      const parts = await Promise.all(pending);
      if (d + 1 < this.options.days) this.workers.forEach((w, i) => (pending[i] = this.ask(w, d + 1)));
      const messages = parts.reduce((n, p) => n + p.times.length, 0);
      const total = parts.reduce((n, p) => n + p.bytes.length, 0);
      // Room to spare, so that a slightly larger day still fits.
      if (!this.merged || this.merged.length < total) this.merged = Buffer.allocUnsafeSlow(Math.ceil(total * 1.25));
      const bytes = mergeEncoded(parts, this.merged);
      // Each part's bytes go back to its worker, for a later day.
      this.workers.forEach((w, i) => w.postMessage({ cmd: 'recycle', buffer: parts[i].bytes.buffer }, [parts[i].bytes.buffer]));
      yield { day: d, bytes, messages, datasets: parts.reduce((n, p) => n + p.datasets, 0) };
    }
  }

  async finish(): Promise<SimulationManifest> {
    const manifests = await Promise.all(
      this.workers.map(
        (w) =>
          new Promise<SimulationManifest>((resolve, reject) => {
            w.once('message', (m: { manifest: SimulationManifest }) => resolve(m.manifest));
            w.once('error', reject);
            w.postMessage({ cmd: 'manifest' });
          }),
      ),
    );
    await Promise.all(this.workers.map((w) => w.terminate()));
    const merged = mergeManifests(manifests);
    merged.stations = this.options.stations;
    return merged;
  }
}
