import type { Decider } from './domain/Decider';
import { chainHash, GENESIS_HASH } from './domain/HashChain';
import type { LedgerEvent } from './domain/LedgerEvent';
import { parseStored } from './parseStored';
import { readAll, type EventStore, type NewEvent } from './ports/EventStore';

const MAX_CACHED_STREAMS = 20_000;
/**
 * How many entries (payload hashes, processed messages, tokens… whatever a decider's state counts in
 * its `size`s) the cache holds over all streams. Past it the least recently used streams are dropped
 * and folded again from the store when next written. A recorded dataset is two entries (its payload
 * hash and its message digest); the compact states hold about 100 bytes per dataset
 * (tools/pipeline/bench/decisionStateBytes.ts, ledger README), some 15 MiB at the budget.
 */
export const DEFAULT_MAX_CACHED_ENTRIES = 250_000;
const MAX_CONFLICTS = 20;

interface Loaded {
  decider: Decider<never, LedgerEvent, unknown>;
  state: unknown;
  revision: number;
  headHash: string;
  /** `entriesOf(state)` when cached. */
  entries?: number;
}

/**
 * The entries a decider's state holds: the `size` of each of its fields that has one (Maps, Sets,
 * the compact DigestSet and CounterHashes). A CounterRangeSet has no `size`: its ranges are few and
 * follow the gaps, and the counters they hold are counted by the payload hashes beside them.
 */
export function entriesOf(state: unknown): number {
  if (typeof state !== 'object' || state === null) return 0;
  let n = 0;
  for (const v of Object.values(state)) {
    const size: unknown = typeof v === 'object' && v !== null ? (v as { size?: unknown }).size : undefined;
    if (typeof size === 'number') n += size;
  }
  return n;
}

/**
 * The one append loop of the ledger. For a stream and its decider it loads the state (from a bounded
 * cache, else by folding the stored events), asks the decider, stamps revision and hash chain on the
 * new events, and appends them at the expected revision. Within this process the appends to one
 * stream run one after another (a per-stream queue); between processes the store's revision check
 * decides, and the loser reloads and decides again.
 */
export class StreamAppender {
  private readonly cache = new Map<string, Loaded>();
  private cachedEntries = 0;
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Told of every successful append (the checkpoint schedule counts them). */
  onAppended: ((streamId: string, events: number) => void) | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly now: () => string,
    private readonly maxCachedEntries = DEFAULT_MAX_CACHED_ENTRIES,
  ) {}

  /** What the cache holds now (streams, entries): for tests and metrics. */
  cacheSize(): { streams: number; entries: number } {
    return { streams: this.cache.size, entries: this.cachedEntries };
  }

  append<C, E extends LedgerEvent, S>(streamId: string, decider: Decider<C, E, S>, command: C): Promise<E[]> {
    const previous = this.queues.get(streamId) ?? Promise.resolve();
    const run = previous.then(() => this.appendNow(streamId, decider, command));
    const tail = run.catch(() => undefined);
    this.queues.set(streamId, tail);
    void tail.then(() => {
      if (this.queues.get(streamId) === tail) this.queues.delete(streamId);
    });
    return run;
  }

  /** The state of a stream as its decider folds it (read from the store, not cached). */
  async load<S>(streamId: string, decider: Decider<never, LedgerEvent, S>): Promise<{ state: S; revision: number; headHash: string }> {
    let state = decider.initialState();
    let revision = -1;
    let headHash = GENESIS_HASH;
    for await (const e of readAll(this.store, streamId)) {
      // A row that is not JSON (edited behind the ledger's back; verify-chain names it) adds nothing
      // to the state, but the stream still continues after it.
      const event = parseStored(e);
      if (event.type !== 'UnreadableEvent') state = decider.evolve(state, event);
      revision = e.revision;
      headHash = e.hash;
    }
    return { state, revision, headHash };
  }

  private async appendNow<C, E extends LedgerEvent, S>(streamId: string, decider: Decider<C, E, S>, command: C): Promise<E[]> {
    const d = decider as unknown as Decider<never, LedgerEvent, unknown>;
    for (let attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
      const cached = this.cache.get(streamId);
      const loaded = cached && cached.decider === d ? cached : { decider: d, ...(await this.load(streamId, d)) };
      const events = decider.decide(command, loaded.state as S);
      if (events.length === 0) return events;
      const recordedAt = this.now();
      let prev = loaded.headHash;
      const stored: NewEvent[] = events.map((e, i) => {
        const dataText = JSON.stringify(e.data);
        const hash = chainHash(prev, streamId, loaded.revision + 1 + i, e.type, dataText);
        const n = { type: e.type, dataText, recordedAt, prevHash: prev, hash };
        prev = hash;
        return n;
      });
      const r = await this.store.append(streamId, loaded.revision, stored);
      if (r.ok) {
        let state = loaded.state as S;
        for (const e of events) state = decider.evolve(state, e);
        this.remember(streamId, { decider: d, state, revision: r.revision, headHash: prev });
        this.onAppended?.(streamId, events.length);
        return events;
      }
      // Another writer moved the stream: forget what we knew and decide again on its real state.
      this.forget(streamId);
    }
    throw new Error(`stream ${streamId}: gave up after ${MAX_CONFLICTS} concurrent-append conflicts`);
  }

  /**
   * Keeps a stream's state, most recently used last; drops the least recently used streams while
   * more than MAX_CACHED_STREAMS streams or more entries than the budget are held (the stream just
   * written stays, however large: dropping it would fold it again on its next append).
   */
  private remember(streamId: string, loaded: Loaded): void {
    this.forget(streamId);
    loaded.entries = entriesOf(loaded.state);
    this.cache.set(streamId, loaded);
    this.cachedEntries += loaded.entries;
    while (this.cache.size > 1 && (this.cache.size > MAX_CACHED_STREAMS || this.cachedEntries > this.maxCachedEntries)) {
      this.forget(this.cache.keys().next().value as string);
    }
  }

  private forget(streamId: string): void {
    const held = this.cache.get(streamId);
    if (!held) return;
    this.cachedEntries -= held.entries ?? 0;
    this.cache.delete(streamId);
  }
}

export { GENESIS_HASH };
