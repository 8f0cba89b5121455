import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { DatasetVerifier, KeyTrial } from '../application/DatasetVerifier';

/** One dataset to check, as sent to a worker. */
export interface TrialRequest {
  id: number;
  ocmf: string;
  keys: readonly string[];
}

/** A worker's answer: the trial (when the first key verified, that verification once), or why the worker could not make it. */
export type TrialAnswer = { id: number; trial: KeyTrial } | { id: number; first: KeyTrial['first']; validKey: 0 } | { id: number; error: string };

interface Waiting {
  resolve: (t: KeyTrial) => void;
  reject: (e: unknown) => void;
}

interface Thread {
  worker: Worker;
  /** Requests sent and not answered. */
  busy: Set<number>;
  /** Resolves once the thread has loaded its code and listens (its first message). */
  ready: Promise<void>;
}

/**
 * Signature checks on worker threads (one per core by default), so that the main thread only parses,
 * decides and appends. A thread with nothing to do is sent what is waiting (shared with the other
 * idle threads) at the end of the event loop's turn; while every thread is busy, requests wait and
 * go out together to the next thread that answers, so the messages between threads grow with the
 * load instead of one per dataset. Each answer settles its own request. Order is the pipeline's business
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
  private scheduled = false;

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new RangeError(`a verification pool has at least one thread; got ${size}`);
    for (let i = 0; i < size; i++) this.threads.push(this.start());
  }

  verify(ocmf: string, keys: readonly string[]): Promise<KeyTrial> {
    if (this.closed) return Promise.reject(new Error('the verification pool is closed'));
    const id = this.nextId++;
    this.pending.push({ id, ocmf, keys });
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => {
        this.scheduled = false;
        this.send();
      });
    }
    return new Promise<KeyTrial>((resolve, reject) => this.waiting.set(id, { resolve, reject }));
  }

  /**
   * Resolves once every thread has loaded its code and listens. Requests need not wait for it (they
   * queue meanwhile); it tells a caller when the start-up work of the threads is over.
   */
  async ready(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.ready));
  }

  /** Ends the threads; requests not answered yet fail. */
  async close(): Promise<void> {
    this.closed = true;
    this.pending = [];
    const threads = this.threads.splice(0);
    await Promise.all(threads.map((t) => t.worker.terminate()));
    for (const [id, w] of this.waiting) {
      this.waiting.delete(id);
      w.reject(new Error('the verification pool was closed before the check ended'));
    }
  }

  /** Shares what waits among the idle threads; busy threads get theirs when they answer. */
  private send(): void {
    if (this.closed) return;
    const idle = this.threads.filter((t) => t.busy.size === 0);
    for (const [i, t] of idle.entries()) {
      if (this.pending.length === 0) return;
      const batch = this.pending.splice(0, Math.ceil(this.pending.length / (idle.length - i)));
      for (const r of batch) t.busy.add(r.id);
      t.worker.postMessage(batch);
    }
  }

  private start(): Thread {
    const worker = new Worker(compiled('verificationWorker.js'));
    let loaded!: () => void;
    const thread: Thread = { worker, busy: new Set(), ready: new Promise<void>((r) => (loaded = r)) };
    worker.unref();
    worker.once('message', () => loaded());
    // A thread that ends before it is ready settles `ready` too (its replacement has a `ready` of its own).
    worker.once('exit', () => loaded());
    worker.on('message', (answers: TrialAnswer[]) => {
      for (const a of answers) {
        thread.busy.delete(a.id);
        const w = this.waiting.get(a.id);
        if (!w) continue;
        this.waiting.delete(a.id);
        if ('trial' in a) w.resolve(a.trial);
        else if ('first' in a) w.resolve({ first: a.first, valid: { v: a.first, keyIndex: 0 } });
        else w.reject(new Error(`signature check failed on a worker thread: ${a.error}`));
      }
      if (thread.busy.size === 0 && this.pending.length > 0) this.send();
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
    this.send();
  }
}

/** A compiled file beside this one; under ts-jest (sources) the build's copy (jest's global setup builds first). */
function compiled(file: string): string {
  return __filename.endsWith('.ts') ? join(__dirname, '..', '..', 'dist', 'infrastructure', file) : join(__dirname, file);
}
