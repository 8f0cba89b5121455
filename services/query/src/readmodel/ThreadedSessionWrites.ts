import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { SessionOwner } from '../domain/sessionOwner';
import type { SessionToken, SessionView } from '../domain/SessionView';
import { REBUILD_MMAP_BYTES, SQLITE_UPSERT_SESSION } from './SessionReadModel';
import type { SessionPage, SessionQuery, SessionStore, TokenPage } from './SessionStore';
import { lastPerSession, sessionValues, type RegisteredTokenView, type SessionRow, type TokenQuery } from './sessionRows';
import type { SessionWriterAnswer, SessionWriterData, SessionWriterRequest } from './sessionWriterWorker';

/**
 * A read model whose batch upserts (`upsertMany`, the projector's pages) are written and committed on
 * a thread of their own, while the caller reads and projects the next page: a rebuild spends about a
 * quarter of its time in SQLite inserting and committing; with PostgreSQL each of a write's
 * statements would otherwise wait for the projecting thread to send it. The rows are made here
 * (`sessionValues`), so the thread only writes them: SQLite through its own connection to the file,
 * PostgreSQL through a pool of its own (`PostgresSessionStore.upsertValues`, copying: `bulkLoad`).
 *
 * One batch is written at a time, and every other call waits until the batch under way is committed
 * before it runs on the model's own connection: a read sees every session upserted before it, a
 * write never meets the thread's transaction. A batch that fails fails the next call (and `close`).
 * For a SQLite model in a file (the thread has its own connection) or a PostgreSQL schema whose
 * tables exist (`init` first), as `query:rebuild` builds them.
 */
export class ThreadedSessionWrites implements SessionStore {
  private readonly worker: Worker;
  /** The batch under way; settled (rejected when it failed) once it is committed. */
  private pending: Promise<void> = Promise.resolve();
  /** PostgreSQL batches written so far: copied, or upserted because a copy met a session already stored. */
  readonly batches = { copied: 0, upserted: 0 };

  constructor(
    private readonly model: SessionStore & { createIndexes(): unknown },
    target: string | { postgres: { connectionString?: string; schema: string } },
  ) {
    const file = typeof target === 'string' ? target : '';
    // The thread opens the file again: an in-memory model would be another database there.
    if (typeof target === 'string' && (file === ':memory:' || file === '')) throw new Error('ThreadedSessionWrites needs a model in a file, not in memory');
    const workerData: SessionWriterData = { file, upsertSql: SQLITE_UPSERT_SESSION, mmapBytes: REBUILD_MMAP_BYTES, ...(typeof target === 'string' ? {} : { postgres: target.postgres }) };
    const script = join(__dirname, `sessionWriterWorker${__filename.endsWith('.ts') ? '.ts' : '.js'}`);
    // Run from TypeScript sources (jest, tsx), the thread registers tsx before loading the script.
    this.worker = __filename.endsWith('.ts')
      ? new Worker(`require('tsx/cjs/api').register(); require(${JSON.stringify(script)});`, { eval: true, workerData })
      : new Worker(script, { workerData });
    // Idle, the thread keeps nothing alive (a failed rebuild must still end); a request under way does.
    this.worker.unref();
    // A thread that fails outside a request (opening the file, preparing its statement) fails the next call with the reason, instead of ending the process unexplained.
    this.worker.on('error', (e: Error) => {
      this.pending = Promise.reject(new Error(`the session writer thread failed: ${e.message}`));
      this.pending.catch(() => undefined);
    });
  }

  private request(m: SessionWriterRequest): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const onExit = (code: number) => settle({ ok: false, message: `the session writer thread stopped (exit code ${code})` });
      const onError = (e: Error) => settle({ ok: false, message: e.message });
      const settle = (a: SessionWriterAnswer) => {
        this.worker.off('message', settle).off('exit', onExit).off('error', onError).unref();
        if (a.ok) {
          if (a.written === 'copied' || a.written === 'upserted') this.batches[a.written]++;
          resolve();
        } else reject(new Error(a.message));
      };
      this.worker.ref();
      this.worker.once('message', settle).once('exit', onExit).once('error', onError);
      this.worker.postMessage(m);
    });
  }

  /** Waits for the batch under way; throws when it failed. */
  private async settled(): Promise<void> {
    await this.pending;
  }

  /**
   * Queues the batch behind everything queued before it, synchronously (calls not awaited one by one
   * still write in call order, one batch in flight), and returns once what came before is settled:
   * an earlier batch's failure is this call's.
   */
  async upsertMany(views: readonly SessionView[]): Promise<void> {
    const rows = lastPerSession(views).map(sessionValues);
    const before = this.pending;
    this.pending = before.then(() => this.request({ rows }));
    // Awaited by the next call; not an unhandled rejection meanwhile.
    this.pending.catch(() => undefined);
    await before;
  }

  /** A write on the model's own connection, queued like a batch (never beside the thread's transaction), awaited. */
  private queued<T>(write: () => T | Promise<T>): Promise<T> {
    const done = this.pending.then(write);
    this.pending = done.then(() => undefined);
    this.pending.catch(() => undefined);
    return done;
  }

  /** The deferred indexes, once every batch is written. */
  async createIndexes(): Promise<void> {
    await this.settled();
    await this.model.createIndexes();
  }

  async close(): Promise<void> {
    try {
      await this.settled();
      await this.request({ close: true });
    } finally {
      await this.worker.terminate();
      await this.model.close();
    }
  }

  upsert(v: SessionView): Promise<void> {
    return this.queued(() => this.model.upsert(v));
  }

  async get(streamId: string, counter: string): Promise<SessionView | undefined> {
    await this.settled();
    return this.model.get(streamId, counter);
  }

  async byTransaction(transactionId: string, emspId?: string): Promise<SessionView[]> {
    await this.settled();
    return this.model.byTransaction(transactionId, emspId);
  }

  async page(q: SessionQuery): Promise<SessionPage> {
    await this.settled();
    return this.model.page(q);
  }

  async *station(stationId: string, from?: string, to?: string): AsyncGenerator<SessionView> {
    await this.settled();
    yield* this.model.station(stationId, from, to);
  }

  async *stationRows(stationId: string, from?: string, to?: string): AsyncGenerator<SessionRow[]> {
    await this.settled();
    yield* this.model.stationRows(stationId, from, to);
  }

  async count(): Promise<number> {
    await this.settled();
    return this.model.count();
  }

  async transactionToken(stationId: string, transactionId: string): Promise<SessionToken | undefined> {
    await this.settled();
    return this.model.transactionToken(stationId, transactionId);
  }

  async transactionTokens(stationId: string, transactionIds: readonly string[]): Promise<Map<string, SessionToken>> {
    await this.settled();
    return this.model.transactionTokens(stationId, transactionIds);
  }

  addTransactionToken(stationId: string, transactionId: string, token: SessionToken): Promise<boolean> {
    return this.queued(() => this.model.addTransactionToken(stationId, transactionId, token));
  }

  assignTransactionToken(stationId: string, transactionId: string, token: SessionToken, owner: SessionOwner): Promise<void> {
    return this.queued(() => this.model.assignTransactionToken(stationId, transactionId, token, owner));
  }

  async registeredToken(key: string): Promise<RegisteredTokenView | undefined> {
    await this.settled();
    return this.model.registeredToken(key);
  }

  async registeredTokens(keys: readonly string[]): Promise<Map<string, RegisteredTokenView>> {
    await this.settled();
    return this.model.registeredTokens(keys);
  }

  saveToken(token: RegisteredTokenView): Promise<void> {
    return this.queued(() => this.model.saveToken(token));
  }

  async tokens(q: TokenQuery): Promise<TokenPage> {
    await this.settled();
    return this.model.tokens(q);
  }
}
