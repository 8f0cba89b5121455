import { tokenKey, type ConflictReceived, type DatasetRecorded, type EventPage, type Ledger, type RecordedEvent } from '@metrology-ledger/ledger';
import { projectDataset, withConflict } from '../domain/projectSession';
import { resolveOwner, tokenFromIdentification } from '../domain/sessionOwner';
import type { SessionToken, SessionView } from '../domain/SessionView';
import type { RegisteredTokenView } from '../domain/tokenFacts';
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
      changed += await this.followPages(streamId, (events) => this.applyDatasetPage(streamId, events));
      onProgress?.(i + 1, streams.length);
    }
    return changed;
  }

  /** Applies a stream's events appended since it was last followed, one at a time. */
  private follow(streamId: string, apply: (e: RecordedEvent) => Promise<number>): Promise<number> {
    return this.followPages(streamId, async (events) => {
      let changed = 0;
      for (const e of events) changed += await apply(e);
      return changed;
    });
  }

  /**
   * Applies a stream's events appended since it was last followed, page by page. The next page is
   * read while the current one is applied (a page ahead at most, so memory stays at two pages).
   */
  private async followPages(streamId: string, applyPage: (events: RecordedEvent[]) => Promise<number>): Promise<number> {
    let changed = 0;
    let next: Promise<EventPage> | null = this.ledger.read(streamId, (this.projected.get(streamId) ?? -1) + 1, PAGE);
    while (next) {
      const page: EventPage = await next;
      next = page.next !== null ? this.ledger.read(streamId, page.next, PAGE) : null;
      // A read started ahead must not be left unawaited when applying fails.
      if (next) next.catch(() => undefined);
      changed += await applyPage(page.events);
      if (page.events.length > 0) this.projected.set(streamId, page.events[page.events.length - 1].revision);
      this.eventsApplied += page.events.length;
    }
    return changed;
  }

  /**
   * A page of a dataset stream. Datasets are projected (CPU only) and written together: the page's
   * transaction tokens and registered tokens read in one query each, the sessions upserted in one
   * transaction. A conflict needs the session it concerns, so what is pending is written first.
   */
  private async applyDatasetPage(streamId: string, events: RecordedEvent[]): Promise<number> {
    let changed = 0;
    let pending: SessionView[] = [];
    for (const e of events) {
      if (e.event.type === 'DatasetRecorded' && isObject(e.event.data)) {
        const { view, problem } = projectDataset(e.event as DatasetRecorded, streamId, e.recordedAt);
        if (problem) this.onProblem({ streamId, revision: e.revision, problem });
        pending.push(view);
        continue;
      }
      changed += await this.writeSessions(pending);
      pending = [];
      changed += await this.apply(streamId, e);
    }
    return changed + (await this.writeSessions(pending));
  }

  /** New sessions with their token and owner (as `apply` gives them one by one), written in one transaction. */
  private async writeSessions(views: SessionView[]): Promise<number> {
    if (views.length === 0) return 0;
    const byStation = new Map<string, string[]>();
    for (const v of views) {
      if (v.transactionId === null) continue;
      const ids = byStation.get(v.stationId);
      if (ids) ids.push(v.transactionId);
      else byStation.set(v.stationId, [v.transactionId]);
    }
    const ocpp = new Map<string, SessionToken>();
    for (const [stationId, ids] of byStation) for (const [tx, token] of await this.sessions.transactionTokens(stationId, [...new Set(ids)])) ocpp.set(`${stationId}\n${tx}`, token);
    for (const v of views) v.token = (v.transactionId !== null ? ocpp.get(`${v.stationId}\n${v.transactionId}`) : undefined) ?? tokenFromIdentification(v.identification);
    const keys = [...new Set(views.flatMap((v) => (v.token ? [tokenKey(v.token.uid)] : [])))];
    const registered = keys.length > 0 ? await this.sessions.registeredTokens(keys) : new Map<string, RegisteredTokenView>();
    for (const v of views) Object.assign(v, resolveOwner(v.emspId, v.token, v.token ? (registered.get(tokenKey(v.token.uid))?.emspId ?? null) : null));
    await this.sessions.upsertMany(views);
    return views.length;
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
    // A readable DatasetRecorded is projected with its page (applyDatasetPage); one that is not an object is skipped here.
    if (e.event.type === 'DatasetRecorded') return this.skip(streamId, e, 'DatasetRecorded without a data object');
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
