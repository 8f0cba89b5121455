import { DatasetStreamState } from './domain/DatasetStreamState';
import { decideDataset, type VerifiedDataset } from './domain/decideDataset';
import { chainHash, GENESIS_HASH, verifyChain, type ChainCheck } from './domain/HashChain';
import type { DatasetRejected, LedgerEvent, MetrologyLogEntryRecorded, StationCommissioningRecorded, StationFaultReported, StationKeyRegistered } from './domain/LedgerEvent';
import { ProcessedMessages } from './domain/ProcessedMessages';
import { StationKeyRegistry } from './domain/StationKeyRegistry';
import { STREAM_PREFIX, StreamId } from './domain/StreamId';
import { readAll, type EventStore, type NewEvent } from './ports/EventStore';

interface StreamState {
  revision: number;
  headHash: string | undefined;
  apply(e: LedgerEvent): void;
}

const MAX_CACHED_STREAMS = 20_000;
const MAX_RETRIES = 20;

export interface StreamGaps {
  stationId: string;
  streamId: string;
  publicKey: string;
  highestCounter: string;
  /** Missing counters as inclusive ranges. */
  gaps: { from: string; to: string }[];
}

/**
 * The ledger: decides with the pure rules in `domain/`, appends with optimistic concurrency and a hash
 * chain, keeps stream states in a bounded cache (reloaded from the store when another writer moved a
 * stream). Every call is idempotent by transport message id.
 */
export class Ledger {
  readonly keys = new StationKeyRegistry();
  private readonly cache = new Map<string, StreamState>();

  constructor(
    readonly store: EventStore,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {}

  /** Loads the key registry from the store. */
  async loadKeys(): Promise<void> {
    for (const streamId of await this.store.streams(STREAM_PREFIX.keys)) {
      for await (const e of readAll(this.store, streamId)) this.keys.apply(parse(e.type, e.dataText) as StationKeyRegistered);
    }
  }

  async registerKey(data: Omit<StationKeyRegistered['data'], 'registeredAt'>): Promise<boolean> {
    const existing = this.keys.keysOf(data.stationId).find((k) => k.publicKey.toLowerCase() === data.publicKey.toLowerCase());
    if (existing && existing.validFrom === data.validFrom && existing.validTo === data.validTo) return false;
    const event: StationKeyRegistered = { type: 'StationKeyRegistered', data: { ...data, registeredAt: this.now() } };
    await this.appendWith(StreamId.keys(data.stationId), () => ({ revision: -1, headHash: undefined, apply: () => undefined }), () => [event]);
    this.keys.apply(event);
    return true;
  }

  /** Records a verified dataset; returns the events it caused (empty for a redelivered message). */
  recordDataset(d: VerifiedDataset): Promise<LedgerEvent[]> {
    const streamId = StreamId.datasets(d.stationId, d.publicKey, d.paginationContext);
    return this.appendWith(streamId, () => new DatasetStreamState(), (s) => decideDataset(s as DatasetStreamState, d));
  }

  recordRejection(data: DatasetRejected['data']): Promise<LedgerEvent[]> {
    return this.appendWith(StreamId.rejections(data.stationId), () => new ProcessedMessages(), (s) =>
      (s as ProcessedMessages).ids.has(data.receipt.messageId) ? [] : [{ type: 'DatasetRejected', data }],
    );
  }

  recordLogEntry(data: MetrologyLogEntryRecorded['data']): Promise<LedgerEvent[]> {
    return this.appendWith(StreamId.metrologyLog(data.stationId), () => new ProcessedMessages(), (s) =>
      (s as ProcessedMessages).ids.has(data.receipt.messageId) ? [] : [{ type: 'MetrologyLogEntryRecorded', data }],
    );
  }

  /** The operator records commissioning data and notifications; every change is a new event. */
  recordCommissioning(data: Omit<StationCommissioningRecorded['data'], 'recordedAt'>): Promise<LedgerEvent[]> {
    const event: StationCommissioningRecorded = { type: 'StationCommissioningRecorded', data: { ...data, recordedAt: this.now() } };
    return this.appendWith(StreamId.station(data.stationId), () => ({ revision: -1, headHash: undefined, apply: () => undefined }), () => [event]);
  }

  recordFault(data: StationFaultReported['data']): Promise<LedgerEvent[]> {
    return this.appendWith(StreamId.faults(data.stationId), () => new ProcessedMessages(), (s) =>
      (s as ProcessedMessages).ids.has(data.receipt.messageId) ? [] : [{ type: 'StationFaultReported', data }],
    );
  }

  /**
   * Within this process, appends to one stream run one after another (a per-stream queue); between
   * processes, the store's expected-revision check decides and the loser re-reads and decides again.
   */
  private appendWith(streamId: string, fresh: () => StreamState, decide: (s: StreamState) => LedgerEvent[]): Promise<LedgerEvent[]> {
    const previous = this.queues.get(streamId) ?? Promise.resolve();
    const run = previous.then(() => this.appendNow(streamId, fresh, decide));
    const tail = run.catch(() => undefined);
    this.queues.set(streamId, tail);
    void tail.then(() => {
      if (this.queues.get(streamId) === tail) this.queues.delete(streamId);
    });
    return run;
  }

  private readonly queues = new Map<string, Promise<unknown>>();

  private async appendNow(streamId: string, fresh: () => StreamState, decide: (s: StreamState) => LedgerEvent[]): Promise<LedgerEvent[]> {
    for (let attempt = 0; attempt < MAX_RETRIES; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
      const state = this.cache.get(streamId) ?? (await this.load(streamId, fresh()));
      const events = decide(state);
      if (events.length === 0) return events;
      let prev = state.headHash ?? GENESIS_HASH;
      const recordedAt = this.now();
      const stored: NewEvent[] = events.map((e, i) => {
        const dataText = JSON.stringify(e.data);
        const hash = chainHash(prev, streamId, state.revision + 1 + i, e.type, dataText);
        const n = { type: e.type, dataText, recordedAt, prevHash: prev, hash };
        prev = hash;
        return n;
      });
      const r = await this.store.append(streamId, state.revision, stored);
      if (r.ok) {
        for (const e of events) state.apply(e);
        state.revision = r.revision;
        state.headHash = prev;
        this.remember(streamId, state);
        return events;
      }
      // Another writer moved the stream: forget what we knew and decide again on its real state.
      this.cache.delete(streamId);
    }
    throw new Error(`stream ${streamId}: gave up after ${MAX_RETRIES} concurrent-append conflicts`);
  }

  private async load(streamId: string, state: StreamState): Promise<StreamState> {
    for await (const e of readAll(this.store, streamId)) {
      state.apply(parse(e.type, e.dataText));
      state.revision = e.revision;
      state.headHash = e.hash;
    }
    return state;
  }

  private remember(streamId: string, state: StreamState): void {
    this.cache.delete(streamId);
    this.cache.set(streamId, state);
    if (this.cache.size > MAX_CACHED_STREAMS) this.cache.delete(this.cache.keys().next().value as string);
  }

  /** Open gaps of every dataset stream of a station (all stations when omitted). */
  async gaps(stationId?: string): Promise<StreamGaps[]> {
    const prefix = stationId ? `${STREAM_PREFIX.datasets}${stationId}-` : STREAM_PREFIX.datasets;
    const out: StreamGaps[] = [];
    for (const streamId of await this.store.streams(prefix)) {
      const state = (await this.load(streamId, new DatasetStreamState())) as DatasetStreamState;
      let publicKey = '';
      let station = stationId ?? '';
      for (const e of await this.store.read(streamId, 0, 1)) {
        const d = JSON.parse(e.dataText) as { publicKey: string; stationId: string };
        publicKey = d.publicKey;
        station = d.stationId;
      }
      if (stationId && station !== stationId) continue; // a longer station id sharing the prefix
      out.push({ stationId: station, streamId, publicKey, highestCounter: state.highest.toString(), gaps: toRanges(state.openGaps()) });
    }
    return out;
  }

  /** Walks every stream (or those with the prefix) and reports the first break of each broken chain. */
  async verifyChains(prefix = ''): Promise<{ streams: number; events: number; broken: ({ streamId: string } & ChainCheck)[] }> {
    const broken: ({ streamId: string } & ChainCheck)[] = [];
    let events = 0;
    const streams = await this.store.streams(prefix);
    for (const streamId of streams) {
      const links = [];
      for await (const e of readAll(this.store, streamId)) links.push(e);
      const check = verifyChain(links);
      events += check.events;
      if (!check.ok) broken.push({ streamId, ...check });
    }
    return { streams: streams.length, events, broken };
  }

  /** Every event of a stream, parsed. */
  async events(streamId: string): Promise<LedgerEvent[]> {
    const out: LedgerEvent[] = [];
    for await (const e of readAll(this.store, streamId)) out.push(parse(e.type, e.dataText));
    return out;
  }
}

function parse(type: string, dataText: string): LedgerEvent {
  return { type, data: JSON.parse(dataText) } as LedgerEvent;
}

function toRanges(counters: bigint[]): { from: string; to: string }[] {
  const out: { from: string; to: string }[] = [];
  for (const c of counters) {
    const last = out[out.length - 1];
    if (last && BigInt(last.to) + 1n === c) last.to = c.toString();
    else out.push({ from: c.toString(), to: c.toString() });
  }
  return out;
}
