import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DatasetVerifier, KeyTrial } from '../application/DatasetVerifier';

/** One dataset to check, as sent to a worker. */
export interface TrialRequest {
  id: number;
  ocmf: string;
  keys: readonly string[];
}

/** A worker's answer: the trial, or why the worker could not make it. */
export type TrialAnswer = { id: number; trial: KeyTrial } | { id: number; error: string };

interface Waiting {
  resolve: (t: KeyTrial) => void;
  reject: (e: unknown) => void;
}

interface Thread {
  worker: Worker;
  /** Requests sent and not answered. */
  busy: Set<number>;
}

/**
 * Signature checks on worker threads (one per core by default), so that the main thread only parses,
 * decides and appends. Datasets asked for in one turn of the event loop go out together, split over
 * the least busy threads; each answer settles its own request. Order is the pipeline's business
 * (its appends keep the order messages were handed over, whatever order the checks end in).
 * A worker that dies fails its open requests (the pipeline files them as `internal-error`) and is
 * replaced.
 */
export class VerificationPool implements DatasetVerifier {
  private readonly threads: Thread[] = [];
  private readonly waiting = new Map<number, Waiting>();
  private pending: TrialRequest[] = [];
  private nextId = 0;
  private closed = false;

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`a verification pool has at least one thread; got ${size}`);
    for (let i = 0; i < size; i++) this.threads.push(this.start());
  }

  verify(ocmf: string, keys: readonly string[]): Promise<KeyTrial> {
    if (this.closed) return Promise.reject(new Error('the verification pool is closed'));
    const id = this.nextId++;
    if (this.pending.length === 0) setImmediate(() => this.send());
    this.pending.push({ id, ocmf, keys });
    return new Promise<KeyTrial>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
  }

  /** Ends the threads; requests not answered yet fail. */
  async close(): Promise<void> {
    this.closed = true;
    const threads = this.threads.splice(0);
    await Promise.all(threads.map((t) => t.worker.terminate()));
    for (const [id, w] of this.waiting) {
      this.waiting.delete(id);
      w.reject(new Error('the verification pool was closed before the check ended'));
    }
  }

  private send(): void {
    const requests = this.pending;
    this.pending = [];
    if (requests.length === 0 || this.closed) return;
    // Spread the turn's requests so that every thread ends with about as much open work.
    const open = this.threads.reduce((n, t) => n + t.busy.size, 0) + requests.length;
    const share = Math.ceil(open / this.threads.length);
    let from = 0;
    for (const t of [...this.threads].sort((a, b) => a.busy.size - b.busy.size)) {
      const take = Math.min(requests.length - from, Math.max(0, share - t.busy.size));
      if (take === 0) continue;
      const batch = requests.slice(from, from + take);
      from += take;
      for (const r of batch) t.busy.add(r.id);
      t.worker.postMessage(batch);
    }
    if (from < requests.length) {
      const t = this.threads[0];
      const batch = requests.slice(from);
      for (const r of batch) t.busy.add(r.id);
      t.worker.postMessage(batch);
    }
  }

  private start(): Thread {
    const worker = new Worker(compiled('verificationWorker.js'));
    const thread: Thread = { worker, busy: new Set() };
    worker.unref();
    worker.on('message', (answers: TrialAnswer[]) => {
      for (const a of answers) {
        thread.busy.delete(a.id);
        const w = this.waiting.get(a.id);
        if (!w) continue;
        this.waiting.delete(a.id);
        if ('trial' in a) w.resolve(a.trial);
        else w.reject(new Error(`signature check failed on a worker thread: ${a.error}`));
      }
    });
    worker.on('error', (e) => this.lost(thread, e));
    worker.on('exit', (code) => this.lost(thread, new Error(`verification worker exited with code ${code}`)));
    return thread;
  }

  private lost(thread: Thread, error: unknown): void {
    const i = this.threads.indexOf(thread);
    if (i < 0) return;
    for (const id of thread.busy) {
      const w = this.waiting.get(id);
      this.waiting.delete(id);
      w?.reject(error);
    }
    if (this.closed) return;
    this.threads[i] = this.start();
  }
}

/** A compiled file beside this one; under ts-jest (sources) the build's copy (jest's global setup builds first). */
function compiled(file: string): string {
  return __filename.endsWith('.ts') ? join(__dirname, '..', '..', 'dist', 'infrastructure', file) : join(__dirname, file);
}
