import { countMissing, datasetStream, openGapRanges, type CounterRange, type VerifiedDataset } from './domain/datasetStream';
import { verifyChainAsync, type ChainCheck } from './domain/HashChain';
import { historyStream, type RecordStationReport } from './domain/historyStream';
import { keyStream, type RegisterKey } from './domain/keyStream';
import type { DatasetRejected, LedgerEvent, OcppTransactionFact, MetrologyLogEntryRecorded, StationCommissioningRecorded, StationFaultReported, StationKeyRegistered } from './domain/LedgerEvent';
import { messageStream, type MessageEvent } from './domain/messageStream';
import { isStationId } from './domain/StationId';
import { StationKeyRegistry } from './domain/StationKeyRegistry';
import { stationStream, type RecordCommissioning } from './domain/stationStream';
import { parseStreamId, streamPrefix, StreamId, type StreamKind } from './domain/StreamId';
import { tokenRegistry, type RegisterToken, type TokenEvent, type WithdrawToken } from './domain/tokenRegistry';
import { seqNoGaps, transactionStream, type SeqNoGaps } from './domain/transactionStream';
import { crossCheckSeqNoGap, type SeqNoFrame, type SeqNoGapEvidence } from './domain/crossCheckSeqNoGap';
import { readAll, type EventStore, type StoredEvent } from './ports/EventStore';
import { parseStored, type UnreadableEvent } from './parseStored';
import { StreamAppender } from './StreamAppender';
import { CheckpointLog } from './evidence/CheckpointLog';
import { CheckpointSchedule, type CheckpointPolicy } from './evidence/CheckpointSchedule';
import type { LedgerSigningKey } from './evidence/LedgerSigningKey';

/** The ledger's evidence settings: its signing key and when it signs checkpoints by itself. */
export interface LedgerEvidenceOptions {
  signingKey?: LedgerSigningKey;
  /** Without it, checkpoints are made only on demand (`checkpoints.checkpoint()`, exports). */
  checkpointPolicy?: CheckpointPolicy;
  /** Where a scheduled checkpoint's failure goes (a log line); without it, it is thrown away. */
  onCheckpointError?: (e: Error) => void;
  /** The decision-state cache's budget in entries (StreamAppender); default DEFAULT_MAX_CACHED_ENTRIES. */
  cacheEntries?: number;
}

export interface StreamGaps {
  stationId: string;
  streamId: string;
  publicKey: string;
  highestCounter: string;
  /** Missing counters as inclusive ranges. */
  gaps: CounterRange[];
  /** How many counters the ranges cover, decimal text. */
  missing: string;
}

/** A stored event with its data parsed. */
export interface RecordedEvent<E extends LedgerEvent = LedgerEvent> {
  streamId: string;
  revision: number;
  recordedAt: string;
  hash: string;
  prevHash: string;
  /** The data text exactly as stored and hashed. */
  dataText: string;
  event: E | UnreadableEvent;
}

/** One page of a stream: `next` is the revision to ask for next, null at the end. */
export interface EventPage<E extends LedgerEvent = LedgerEvent> {
  events: RecordedEvent<E>[];
  next: number | null;
}

/** Per-station streams other than datasets, by the name callers use. */
export type StationStreamKind = Exclude<StreamKind, 'datasets'>;

export const MAX_PAGE = 1000;

/** A station's 2.0.1 transactions with seqNos that never arrived (an OCPP message lost), as ranges. */
export interface StationSeqNoGaps {
  stationId: string;
  streamId: string;
  /** Each transaction's gaps with what the pagination counters say about each (`evidence`, one per gap, in order). */
  transactions: (SeqNoGaps & { missing: string; evidence: SeqNoGapEvidence[] })[];
}

export interface ChainReport {
  streams: number;
  events: number;
  broken: ({ streamId: string } & ChainCheck)[];
}

/**
 * The ledger: the only component that names, writes and finds streams. Writes go through one typed
 * decider per stream kind (`domain/`) and one append loop (`StreamAppender`) that owns revision and
 * hash chain; every write is idempotent by message id and content. Reads are by station and kind,
 * paged or streamed, never by stream-name prefix from outside.
 */
export class Ledger {
  readonly keys = new StationKeyRegistry();
  private readonly appender: StreamAppender;
  /** Signed checkpoints over every stream's head, with inclusion and consistency proofs. */
  readonly checkpoints: CheckpointLog;
  /** Present when a checkpoint policy was given; `start()` is the caller's (a service at boot). */
  readonly checkpointSchedule: CheckpointSchedule | undefined;

  constructor(
    readonly store: EventStore,
    private readonly now: () => string = () => new Date().toISOString(),
    evidence: LedgerEvidenceOptions = {},
  ) {
    this.appender = new StreamAppender(store, now, evidence.cacheEntries);
    this.checkpoints = new CheckpointLog(store, evidence.signingKey, now);
    if (evidence.checkpointPolicy) {
      const schedule = new CheckpointSchedule(this.checkpoints, evidence.checkpointPolicy, evidence.onCheckpointError ?? (() => undefined));
      this.appender.onAppended = (_stream, n) => schedule.noteAppended(n);
      this.checkpointSchedule = schedule;
    }
  }

  // ---- writes ------------------------------------------------------------------------------

  /** Loads the key registry from the store. */
  async loadKeys(): Promise<void> {
    for (const streamId of await this.store.streams(streamPrefix('keys'))) {
      for await (const e of readAll(this.store, streamId)) this.keys.apply({ type: 'StationKeyRegistered', data: JSON.parse(e.dataText) } as StationKeyRegistered);
    }
  }

  /** Registers a key with its validity; false when exactly that registration exists already. */
  async registerKey(data: Omit<RegisterKey, 'registeredAt'>): Promise<boolean> {
    const events = await this.appender.append(StreamId.keys(data.stationId), keyStream, { ...data, registeredAt: this.now() });
    for (const e of events) this.keys.apply(e);
    return events.length > 0;
  }

  /**
   * Registers every key of a registry (the operator's list of stations and their keys with validity,
   * e.g. a simulation manifest's `registry`); returns how many registrations were new.
   */
  async registerKeys(registry: Iterable<{ stationId: string; keys: { publicKey: string; validFrom: string; validTo?: string }[] }>): Promise<number> {
    let added = 0;
    for (const station of registry) {
      for (const k of station.keys) {
        if (await this.registerKey({ stationId: station.stationId, publicKey: k.publicKey, validFrom: k.validFrom, ...(k.validTo ? { validTo: k.validTo } : {}) })) added++;
      }
    }
    return added;
  }

  /** Records a verified dataset; returns the events it caused (empty for a redelivered message). */
  recordDataset(d: VerifiedDataset): Promise<LedgerEvent[]> {
    return this.appender.append(StreamId.datasets(d.stationId, d.publicKey, d.paginationContext), datasetStream, d);
  }

  /** A message that names no valid station id goes to the unattributed stream, never to a station's. */
  recordRejection(data: DatasetRejected['data']): Promise<LedgerEvent[]> {
    const streamId = isStationId(data.stationId) ? StreamId.rejections(data.stationId) : StreamId.unattributedRejections();
    return this.recordMessage(streamId, { type: 'DatasetRejected', data });
  }

  recordLogEntry(data: MetrologyLogEntryRecorded['data']): Promise<LedgerEvent[]> {
    return this.recordMessage(StreamId.metrologyLog(data.stationId), { type: 'MetrologyLogEntryRecorded', data });
  }

  recordFault(data: StationFaultReported['data']): Promise<LedgerEvent[]> {
    return this.recordMessage(StreamId.faults(data.stationId), { type: 'StationFaultReported', data });
  }

  /**
   * The operator records commissioning data and notifications; every change is a new event. The
   * station is the one named here (the caller's path), whatever else the record holds; a record that
   * breaks a rule is refused with a LedgerRuleViolation and nothing is stored.
   */
  recordCommissioning(stationId: string, data: Omit<RecordCommissioning, 'stationId' | 'recordedAt'>): Promise<StationCommissioningRecorded[]> {
    return this.appender.append(StreamId.station(stationId), stationStream, { ...data, stationId, recordedAt: this.now() });
  }

  /**
   * A notification the station sent over OCPP (boot, firmware status, security event, log upload), in
   * the station's history stream; returns the event (empty when the ledger holds it already). A boot
   * reporting another firmware version than the last boot carries the version before.
   */
  recordStationReport(report: RecordStationReport): Promise<LedgerEvent[]> {
    return this.appender.append(StreamId.history(report.data.stationId), historyStream, report);
  }

  /**
   * Records the transaction facts of one OCPP frame (1.6 StartTransaction and its answer,
   * StopTransaction; 2.0.1 TransactionEvent) in the station's transaction stream; a frame already held
   * adds nothing.
   */
  recordTransactionFact(fact: OcppTransactionFact): Promise<LedgerEvent[]> {
    return this.appender.append(StreamId.transactions(fact.data.stationId), transactionStream, fact);
  }

  /** Registers a token (operator: for any eMSP; an eMSP: for itself); a broken rule throws a LedgerRuleViolation. */
  registerToken(command: Omit<RegisterToken, 'action' | 'at'>): Promise<TokenEvent[]> {
    return this.appender.append(StreamId.tokenRegistry(), tokenRegistry, { ...command, action: 'register', at: this.now() });
  }

  /** Withdraws a token (an eMSP: only its own). */
  withdrawToken(command: Omit<WithdrawToken, 'action' | 'at'>): Promise<TokenEvent[]> {
    return this.appender.append(StreamId.tokenRegistry(), tokenRegistry, { ...command, action: 'withdraw', at: this.now() });
  }

  private recordMessage(streamId: string, event: MessageEvent): Promise<LedgerEvent[]> {
    return this.appender.append(streamId, messageStream, event);
  }

  // ---- reads -------------------------------------------------------------------------------

  /** The dataset streams of a station (every station when omitted), sorted. */
  datasetStreams(stationId?: string): Promise<string[]> {
    return this.store.streams(streamPrefix('datasets', stationId));
  }

  /** The stream of one kind for a station (it may hold no event yet). */
  stationStream(stationId: string, kind: StationStreamKind): string {
    switch (kind) {
      case 'keys':
        return StreamId.keys(stationId);
      case 'rejections':
        return isStationId(stationId) ? StreamId.rejections(stationId) : StreamId.unattributedRejections();
      case 'metrology':
        return StreamId.metrologyLog(stationId);
      case 'faults':
        return StreamId.faults(stationId);
      case 'station':
        return StreamId.station(stationId);
      case 'history':
        return StreamId.history(stationId);
      case 'transactions':
        return StreamId.transactions(stationId);
    }
  }

  /** Every stream of a station, in export order: keys, datasets, rejections, metrology log, faults, station, history, transactions. */
  async stationStreams(stationId: string): Promise<string[]> {
    const single = (kind: StationStreamKind) => this.stationStream(stationId, kind);
    return [single('keys'), ...(await this.datasetStreams(stationId)), single('rejections'), single('metrology'), single('faults'), single('station'), single('history'), single('transactions')];
  }

  /** The token registry's stream (read it with `read` or `eventsOf`). */
  tokenRegistryStream(): string {
    return StreamId.tokenRegistry();
  }

  /** Stations that have at least one stream of this kind, sorted. */
  async stationsWith(kind: StreamKind): Promise<string[]> {
    const ids = new Set<string>();
    for (const s of await this.store.streams(streamPrefix(kind))) {
      const parsed = parseStreamId(s);
      if (parsed?.kind === kind) ids.add(parsed.stationId);
    }
    return [...ids].sort();
  }

  /** Rejected messages that named no valid station id. */
  unattributedRejectionsStream(): string {
    return StreamId.unattributedRejections();
  }

  /** One page of a stream from `fromRevision`, at most MAX_PAGE events. */
  async read(streamId: string, fromRevision = 0, limit = MAX_PAGE): Promise<EventPage> {
    const n = Math.max(1, Math.min(MAX_PAGE, Math.floor(limit)));
    const stored = await this.store.read(streamId, Math.max(0, Math.floor(fromRevision)), n + 1);
    const more = stored.length > n;
    const events = stored.slice(0, n).map(recorded);
    return { events, next: more ? events[events.length - 1].revision + 1 : null };
  }

  /** Every event of a stream, read page by page: nothing beyond one page is held. */
  async *eventsOf(streamId: string): AsyncGenerator<RecordedEvent> {
    for await (const e of readAll(this.store, streamId)) yield recorded(e);
  }

  /** Open gaps of every dataset stream of a station (all stations when omitted), as ranges. */
  async gaps(stationId?: string): Promise<StreamGaps[]> {
    const out: StreamGaps[] = [];
    for (const streamId of await this.datasetStreams(stationId)) {
      const { state } = await this.appender.load(streamId, datasetStream);
      const [first] = await this.store.read(streamId, 0, 1);
      const head = first ? (JSON.parse(first.dataText) as { publicKey: string; stationId: string }) : { publicKey: '', stationId: stationId ?? '' };
      const gaps = openGapRanges(state);
      out.push({ stationId: head.stationId, streamId, publicKey: head.publicKey, highestCounter: state.highest.toString(), gaps, missing: countMissing(gaps) });
    }
    return out;
  }

  /**
   * OCPP 2.0.1 seqNos that never arrived, per transaction of a station's transaction stream (every
   * station with one when omitted): from 0 to the highest seen, as ranges; only transactions with a
   * gap are listed. Like `gaps`, work follows the number of frames, never a seqNo's value.
   */
  async seqNoGaps(stationId?: string): Promise<StationSeqNoGaps[]> {
    const out: StationSeqNoGaps[] = [];
    for (const station of stationId === undefined ? await this.stationsWith('transactions') : [stationId]) {
      const streamId = StreamId.transactions(station);
      const { state } = await this.appender.load(streamId, transactionStream);
      const withGaps = seqNoGaps(state).filter((t) => t.gaps.length > 0);
      if (withGaps.length === 0) {
        out.push({ stationId: station, streamId, transactions: [] });
        continue;
      }
      const frames = await this.seqNoFrames(station, streamId, new Set(withGaps.map((t) => t.transactionId)));
      const counterGaps = new Map((await this.gaps(station)).map((g) => [g.publicKey.toLowerCase(), g.gaps]));
      const transactions = withGaps.map((t) => ({
        ...t,
        missing: countMissing(t.gaps),
        evidence: t.gaps.map((g) => crossCheckSeqNoGap(g, frames.get(t.transactionId) ?? [], (key) => counterGaps.get(key.toLowerCase()) ?? [])),
      }));
      out.push({ stationId: station, streamId, transactions });
    }
    return out;
  }

  /**
   * The received 2.0.1 TransactionEvents of the given transactions with the signed readings each
   * carried: a dataset from a frame has the frame record's message id followed by `#<n>`.
   */
  private async seqNoFrames(stationId: string, transactionsStream: string, transactionIds: ReadonlySet<string>): Promise<Map<string, SeqNoFrame[]>> {
    const byMessage = new Map<string, SeqNoFrame>();
    const out = new Map<string, SeqNoFrame[]>();
    for await (const { event } of this.eventsOf(transactionsStream)) {
      if (event.type !== 'OcppTransactionEventRecorded' || !transactionIds.has(event.data.transactionId) || !/^\d+$/.test(event.data.seqNo)) continue;
      const frame: SeqNoFrame = { seqNo: BigInt(event.data.seqNo), datasets: [] };
      byMessage.set(event.data.receipt.messageId, frame);
      out.set(event.data.transactionId, [...(out.get(event.data.transactionId) ?? []), frame]);
    }
    for (const streamId of await this.datasetStreams(stationId)) {
      for await (const { event } of this.eventsOf(streamId)) {
        if (event.type !== 'DatasetRecorded' || !/^\d+$/.test(event.data.counter)) continue;
        const id = event.data.receipt.messageId;
        const hash = id.lastIndexOf('#');
        const frame = hash > 0 ? byMessage.get(id.slice(0, hash)) : undefined;
        if (frame) frame.datasets.push({ publicKey: event.data.publicKey, counter: BigInt(event.data.counter) });
      }
    }
    return out;
  }

  /** Walks the given streams (every stream when omitted) and reports the first break of each broken chain. */
  async verifyChains(streamIds?: string[]): Promise<ChainReport> {
    const broken: ChainReport['broken'] = [];
    let events = 0;
    const streams = streamIds ?? (await this.store.streams(''));
    let walked = 0;
    for (const streamId of streams) {
      const check = await verifyChainAsync(readAll(this.store, streamId));
      if (check.events === 0 && check.ok) continue;
      walked++;
      events += check.events;
      if (!check.ok) broken.push({ streamId, ...check });
    }
    return { streams: walked, events, broken };
  }

  /** Every stream of one station, chain-checked. */
  async verifyStationChains(stationId: string): Promise<ChainReport> {
    return this.verifyChains(await this.stationStreams(stationId));
  }
}

function recorded(e: StoredEvent): RecordedEvent {
  return { streamId: e.streamId, revision: e.revision, recordedAt: e.recordedAt, hash: e.hash, prevHash: e.prevHash, dataText: e.dataText, event: parseStored(e) };
}
