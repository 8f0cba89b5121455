import type { SessionView } from '../../domain/SessionView';
import type { SessionStore } from '../../readmodel/SessionStore';

/** What changed in the read model that may make a session's CDR unprovable. */
export interface SessionChanges {
  /** Sessions written in conflict or not verified (a conflict received after the packet, for instance). */
  sessions: { streamId: string; counter: string }[];
  /** Transactions whose token the station's OCPP frames named: their sessions may now show a token mismatch. */
  transactions: { stationId: string; transactionId: string }[];
  /** eMSPs that registered a token: sessions already behind their cursor may have become theirs. */
  owners: string[];
}

/**
 * Tells the CDR producer which sessions changed after they were first projected, so that a CDR
 * already delivered can be credited within a pass (the producer's cursor follows new sessions only).
 * The projector writes through `watch(store)`; `take()` hands over and forgets what was noted.
 * Held in memory: after a restart the producer decides every session again, so nothing is missed.
 * Bounded by the changes between two passes.
 */
export class SessionChangeFeed {
  private sessions = new Map<string, { streamId: string; counter: string }>();
  private transactions = new Map<string, { stationId: string; transactionId: string }>();
  private owners = new Set<string>();

  /** The store as the projector should use it: every call passes through, and changes are noted. */
  watch(store: SessionStore): SessionStore {
    return new Proxy(store, {
      get: (target, prop, receiver) => {
        if (prop === 'upsert') {
          return async (v: SessionView) => {
            await target.upsert(v);
            this.note(v);
          };
        }
        if (prop === 'upsertMany') {
          return async (views: readonly SessionView[]) => {
            await target.upsertMany(views);
            for (const v of views) this.note(v);
          };
        }
        if (prop === 'saveToken') {
          return async (...args: Parameters<SessionStore['saveToken']>) => {
            await target.saveToken(...args);
            const [token] = args;
            if (token.status === 'registered') this.owners.add(token.emspId);
          };
        }
        if (prop === 'assignTransactionToken') {
          return async (...args: Parameters<SessionStore['assignTransactionToken']>) => {
            await target.assignTransactionToken(...args);
            const [stationId, transactionId] = args;
            this.transactions.set(`${stationId}\n${transactionId}`, { stationId, transactionId });
          };
        }
        const value = Reflect.get(target, prop, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  take(): SessionChanges {
    const out = { sessions: [...this.sessions.values()], transactions: [...this.transactions.values()], owners: [...this.owners] };
    this.sessions = new Map();
    this.transactions = new Map();
    this.owners = new Set();
    return out;
  }

  private note(v: SessionView): void {
    if (v.status === 'conflict' || v.verdict !== 'valid') this.sessions.set(`${v.streamId}\n${v.counter}`, { streamId: v.streamId, counter: v.counter });
  }
}
