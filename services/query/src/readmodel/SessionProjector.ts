import { tokenKey, type ConflictReceived, type DatasetRecorded, type Ledger, type RecordedEvent } from '@metrology-ledger/ledger';
import { projectDataset, withConflict } from '../domain/projectSession';
import { resolveOwner, tokenFromIdentification } from '../domain/sessionOwner';
import type { SessionToken } from '../domain/SessionView';
import { registryChangeOf, transactionTokenOf } from '../domain/tokenFacts';
import type { SessionStore } from './SessionStore';

/** A record the projector could not read completely: for the service log, never for callers. */
export interface ProjectionProblem {
  streamId: string;
  revision: number;
  problem: string;
}

const PAGE = 1000;

/**
 * Keeps the sessions read model up to date with the ledger: remembers how far each dataset stream was
 * projected and, on each `catchUp`, applies only the events appended since. Reads through the ledger
 * API only (`datasetStreams`, paged `read`). Rebuilding from scratch is the same process starting from
 * nothing. One record that cannot be read becomes a session with no energy figure (or is skipped when
 * it is not even an object) and is reported to `onProblem`; it never stops a catch-up.
 */
export class SessionProjector {
  private readonly projected = new Map<string, number>();
  /** Ledger events read and applied so far, over every catch-up (the read model's progress). */
  eventsApplied = 0;

  constructor(
    private readonly ledger: Ledger,
    private readonly sessions: SessionStore,
    private readonly onProblem: (p: ProjectionProblem) => void = () => undefined,
  ) {}

  /** Applies new events; returns how many sessions were added or changed. */
  async catchUp(onProgress?: (done: number, total: number) => void): Promise<number> {
    // Who owns what first (the registry, then each station's transaction tokens), so a dataset of a
    // known token is owned as soon as it is projected; whichever comes later moves the sessions it concerns.
    let changed = await this.follow(this.ledger.tokenRegistryStream(), (e) => this.applyRegistry(e));
    for (const station of await this.ledger.stationsWith('transactions')) {
      changed += await this.follow(this.ledger.stationStream(station, 'transactions'), (e) => this.applyTransaction(e));
    }
    const streams = await this.ledger.datasetStreams();
    for (const [i, streamId] of streams.entries()) {
      changed += await this.follow(streamId, (e) => this.apply(streamId, e));
      onProgress?.(i + 1, streams.length);
    }
    return changed;
  }

  /** Applies a stream's events appended since it was last followed. */
  private async follow(streamId: string, apply: (e: RecordedEvent) => Promise<number>): Promise<number> {
    let changed = 0;
    let from: number | null = (this.projected.get(streamId) ?? -1) + 1;
    while (from !== null) {
      const page = await this.ledger.read(streamId, from, PAGE);
      for (const e of page.events) {
        changed += await apply(e);
        this.projected.set(streamId, e.revision);
        this.eventsApplied++;
      }
      from = page.next;
    }
    return changed;
  }

  /** A token registered or withdrawn: kept, and its sessions moved (one statement, whatever their number). */
  private async applyRegistry(e: RecordedEvent): Promise<number> {
    const uid = e.event.type === 'TokenWithdrawn' ? e.event.data.uid : undefined;
    const change = registryChangeOf(e.event, typeof uid === 'string' ? await this.sessions.registeredToken(tokenKey(uid)) : undefined);
    if (!change) return 0;
    await this.sessions.saveToken(change);
    return 1;
  }

  /** The first token a station's transaction names becomes the token of its sessions. */
  private async applyTransaction(e: RecordedEvent): Promise<number> {
    const found = transactionTokenOf(e.event);
    if (!found) return 0;
    const { stationId, transactionId, token } = found;
    if (!(await this.sessions.addTransactionToken(stationId, transactionId, token))) return 0;
    await this.sessions.assignTransactionToken(stationId, transactionId, token, resolveOwner(null, token, await this.registeredEmsp(token)));
    return 1;
  }

  private async registeredEmsp(token: SessionToken | null): Promise<string | null> {
    return token ? ((await this.sessions.registeredToken(tokenKey(token.uid)))?.emspId ?? null) : null;
  }

  private async apply(streamId: string, e: RecordedEvent): Promise<number> {
    if (e.event.type === 'UnreadableEvent') {
      return e.event.data.storedType === 'DatasetRecorded' || e.event.data.storedType === 'ConflictReceived' ? this.skip(streamId, e, `${e.event.data.storedType}: ${e.event.data.reason}`) : 0;
    }
    if (e.event.type === 'DatasetRecorded') {
      if (!isObject(e.event.data)) return this.skip(streamId, e, 'DatasetRecorded without a data object');
      const { view, problem } = projectDataset(e.event as DatasetRecorded, streamId, e.recordedAt);
      if (problem) this.onProblem({ streamId, revision: e.revision, problem });
      const ocpp = view.transactionId !== null ? await this.sessions.transactionToken(view.stationId, view.transactionId) : undefined;
      view.token = ocpp ?? tokenFromIdentification(view.identification);
      Object.assign(view, resolveOwner(view.emspId, view.token, await this.registeredEmsp(view.token)));
      await this.sessions.upsert(view);
      return 1;
    }
    if (e.event.type === 'ConflictReceived') {
      if (!isObject(e.event.data) || typeof e.event.data.counter !== 'string') return this.skip(streamId, e, 'ConflictReceived without a counter');
      const current = await this.sessions.get(streamId, e.event.data.counter);
      if (!current) return 0;
      await this.sessions.upsert(withConflict(current, e.event as ConflictReceived));
      return 1;
    }
    return 0;
  }

  private skip(streamId: string, e: RecordedEvent, problem: string): number {
    this.onProblem({ streamId, revision: e.revision, problem: `${problem}: skipped` });
    return 0;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}
