import { parseOcmf, writeSafeXml } from '@metrology-ledger/ocmf';
import { datasetStream, openGapRanges, type CounterRange, type DatasetStreamEvent } from '../domain/datasetStream';
import type { ConflictReceived, DatasetRecorded, DatasetRejected, DuplicateReceived, LedgerEvent, MetrologyLogEntryRecorded, StationKeyRegistered } from '../domain/LedgerEvent';
import { parseStreamId } from '../domain/StreamId';
import { parseStored } from '../parseStored';
import type { BundleEvent } from './EvidenceBundle';

/** A packet as listed in the bundle: where it is in the ledger (stream, revision, event hash) and the dataset as signed. */
export interface PacketLine {
  streamId: string;
  revision: number;
  hash: string;
  type: 'DatasetRecorded' | 'ConflictReceived';
  counter: string;
  pagination?: string;
  publicKey: string;
  transactionId?: string;
  /** The last reading's signed time (TM) as written; the period is judged by it. */
  readingTime?: string;
  ocmf: string;
}

/** Per signing key and pagination context: what the period holds and what the stream lacks. */
export interface KeyCompleteness {
  streamId: string;
  publicKey: string;
  paginationContext: string;
  /** Lowest and highest counter of the period's packets (null without packets). */
  counterRange: { from: string; to: string } | null;
  packets: number;
  /** Counters never received, over the whole stream, as open at export. */
  openGaps: CounterRange[];
  duplicates: { counter: string; messageId: string; revision: number }[];
  conflicts: { counter: string; payloadSha256: string; conflictsWith: string[]; revision: number }[];
}

export interface CompletenessStatement {
  statement: string;
  keys: KeyCompleteness[];
  /** Messages received in the period and not recorded as datasets, with the reason. */
  rejections: { revision: number; receivedAt: string; code: string; reason: string; counter?: string; messageId: string }[];
}

/** Every part of a bundle that is derived from the chained events. */
export interface BundleViews {
  packets: { ndjson: string; safeXml: string };
  keyHistory: StationKeyRegistered['data'][];
  metrologyLog: (MetrologyLogEntryRecorded['data'] & { revision: number; hash: string })[];
  completeness: CompletenessStatement;
}

const inPeriod = (iso: string | undefined, period: { from?: string; to?: string }): boolean => {
  if (period.from === undefined && period.to === undefined) return true;
  if (iso === undefined) return false;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) return false;
  return (period.from === undefined || t >= Date.parse(period.from)) && (period.to === undefined || t < Date.parse(period.to));
};

function lastReadingTime(ocmf: string): { raw?: string; iso?: string } {
  const parsed = parseOcmf(ocmf);
  if (!parsed.ok) return {};
  const time = parsed.dataset.payload.readings.at(-1)?.time;
  return time ? { raw: time.raw, iso: time.iso } : {};
}

const byCounter = (a: PacketLine, b: PacketLine) => {
  const x = BigInt(a.counter);
  const y = BigInt(b.counter);
  return x < y ? -1 : x > y ? 1 : a.revision - b.revision;
};

/**
 * The bundle's views from the station's streams (each stream's events in revision order). The same
 * function builds them at export and checks them offline, so a bundle's views are exactly what its
 * chains say. Packets are in pagination order: stream by stream (key, then context), counter by counter,
 * a conflicting packet after the one it conflicts with.
 */
export function bundleViews(streams: readonly { streamId: string; events: readonly BundleEvent[] }[], period: { from?: string; to?: string }): BundleViews {
  const packets: PacketLine[] = [];
  const keyHistory: StationKeyRegistered['data'][] = [];
  const metrologyLog: BundleViews['metrologyLog'] = [];
  const keys: KeyCompleteness[] = [];
  const rejections: CompletenessStatement['rejections'] = [];
  for (const s of streams) {
    const kind = parseStreamId(s.streamId)?.kind;
    const parsed = s.events.map((e) => ({ e, event: parseStored(e) as LedgerEvent }));
    if (kind === 'keys') for (const { event } of parsed) if (event.type === 'StationKeyRegistered') keyHistory.push(event.data);
    if (kind === 'metrology') {
      for (const { e, event } of parsed) if (event.type === 'MetrologyLogEntryRecorded' && inPeriod(event.data.time, period)) metrologyLog.push({ ...event.data, revision: e.revision, hash: e.hash });
    }
    if (kind === 'rejections') {
      for (const { e, event } of parsed) {
        if (event.type !== 'DatasetRejected' || !inPeriod(event.data.receipt.receivedAt, period)) continue;
        const d: DatasetRejected['data'] = event.data;
        rejections.push({ revision: e.revision, receivedAt: d.receipt.receivedAt, code: d.code, reason: d.reason, ...(d.counter !== undefined ? { counter: d.counter } : {}), messageId: d.receipt.messageId });
      }
    }
    if (kind !== 'datasets') continue;
    let state = datasetStream.initialState();
    const mine: PacketLine[] = [];
    const duplicates: KeyCompleteness['duplicates'] = [];
    const conflicts: KeyCompleteness['conflicts'] = [];
    let publicKey = '';
    let paginationContext = '';
    for (const { e, event } of parsed) {
      if (event.type === 'DatasetRecorded' || event.type === 'GapOpened' || event.type === 'GapClosed' || event.type === 'DuplicateReceived' || event.type === 'ConflictReceived') {
        state = datasetStream.evolve(state, event as DatasetStreamEvent);
      }
      if (event.type === 'DatasetRecorded' || event.type === 'ConflictReceived') {
        const d = event.data as DatasetRecorded['data'] & ConflictReceived['data'];
        publicKey = d.publicKey;
        if (event.type === 'DatasetRecorded') paginationContext = d.paginationContext;
        const time = lastReadingTime(d.ocmf);
        if (!inPeriod(time.iso, period)) continue;
        mine.push({
          streamId: s.streamId,
          revision: e.revision,
          hash: e.hash,
          type: event.type,
          counter: d.counter,
          ...(d.pagination !== undefined ? { pagination: d.pagination } : {}),
          publicKey: d.publicKey,
          ...(d.transactionId !== undefined ? { transactionId: d.transactionId } : {}),
          ...(time.raw !== undefined ? { readingTime: time.raw } : {}),
          ocmf: d.ocmf,
        });
        if (event.type === 'ConflictReceived') conflicts.push({ counter: d.counter, payloadSha256: d.payloadSha256, conflictsWith: d.conflictsWith, revision: e.revision });
      }
      if (event.type === 'DuplicateReceived') {
        const d: DuplicateReceived['data'] = event.data;
        duplicates.push({ counter: d.counter, messageId: d.receipt.messageId, revision: e.revision });
      }
    }
    mine.sort(byCounter);
    packets.push(...mine);
    keys.push({
      streamId: s.streamId,
      publicKey,
      paginationContext,
      counterRange: mine.length ? { from: mine[0].counter, to: mine[mine.length - 1].counter } : null,
      packets: mine.length,
      openGaps: openGapRanges(state),
      duplicates,
      conflicts,
    });
  }
  const gapCount = keys.reduce((n, k) => n + k.openGaps.length, 0);
  const statement =
    `${packets.length} packets under ${keys.length} key/context streams in pagination order; ` +
    `${gapCount} open gap ranges, ${keys.reduce((n, k) => n + k.duplicates.length, 0)} duplicates, ${keys.reduce((n, k) => n + k.conflicts.length, 0)} conflicts, ${rejections.length} rejections. ` +
    'Every stream of the station is included from its first event to the head the checkpoint signed.';
  return {
    packets: {
      ndjson: packets.map((p) => `${JSON.stringify(p)}\n`).join(''),
      safeXml: writeSafeXml(packets.map((p) => ({ ocmf: p.ocmf, publicKey: p.publicKey, ...(p.transactionId !== undefined ? { transactionId: p.transactionId } : {}), context: 'Transaction.End' }))),
    },
    keyHistory,
    metrologyLog,
    completeness: { statement, keys, rejections },
  };
}
