import { createHash } from 'node:crypto';
import type { ConflictReceived, DatasetRejected, MetrologyLogEntryRecorded, RecordedEvent, StationHistoryEvent, StationKeyRegistered } from '@metrology-ledger/ledger';

/**
 * What an auditor sees of each kind of ledger record in a paged list: the event's data as recorded,
 * with its position (`streamId`, `revision`) to find it in the ledger export. Each view takes one
 * recorded event and gives undefined for events of other types, so a list never fails on one record.
 */

/** Characters of a raw rejected message shown when the raw text is left out. */
export const RAW_EXCERPT_CHARS = 256;

/** A stored event whose data is not an object (an older version's): listed as such, never spread. */
export interface UnreadableRecord {
  streamId: string;
  revision: number;
  unreadable: string;
}

function unreadable(e: RecordedEvent): UnreadableRecord | undefined {
  const data: unknown = e.event.data;
  return typeof data === 'object' && data !== null && !Array.isArray(data) ? undefined : { streamId: e.streamId, revision: e.revision, unreadable: 'the stored record holds no data object' };
}

export function metrologyLogView(e: RecordedEvent) {
  if (e.event.type !== 'MetrologyLogEntryRecorded') return undefined;
  const bad = unreadable(e);
  if (bad) return bad;
  const d = (e.event as MetrologyLogEntryRecorded).data;
  return {
    revision: e.revision,
    seq: d.seq,
    time: d.time,
    event: d.event,
    metadata: signedMetadata(d.signedText),
    verdict: d.verification?.verdict ?? null,
    signedText: d.signedText,
    signature: d.signature,
    // The ledger's marks: a resend of an entry already held, or a second signed text under one seq.
    repeatOf: typeof d.repeatOf === 'string' ? d.repeatOf : null,
    seqConflictWith: Array.isArray(d.seqConflictWith) ? d.seqConflictWith : [],
  };
}

/** A rejected message verbatim, or (includeRaw false) an excerpt with the whole message's size and SHA-256. */
export function rejectionView(includeRaw: boolean) {
  return (e: RecordedEvent) => {
    if (e.event.type !== 'DatasetRejected') return undefined;
    const bad = unreadable(e);
    if (bad) return bad;
    const d = (e.event as DatasetRejected).data;
    const view = { ...d, streamId: e.streamId, revision: e.revision };
    if (includeRaw) return view;
    const { raw, ...rest } = view;
    const text = typeof raw === 'string' ? raw : '';
    return {
      ...rest,
      rawExcerpt: text.slice(0, RAW_EXCERPT_CHARS),
      rawTruncated: d.rawTruncated ?? false,
      rawBytes: d.rawBytes ?? Buffer.byteLength(text),
      rawSha256: d.rawSha256 ?? createHash('sha256').update(text).digest('hex'),
    };
  };
}

export function conflictView(e: RecordedEvent) {
  if (e.event.type !== 'ConflictReceived') return undefined;
  return unreadable(e) ?? { ...(e.event as ConflictReceived).data, streamId: e.streamId, revision: e.revision };
}

export function keyView(e: RecordedEvent) {
  if (e.event.type !== 'StationKeyRegistered') return undefined;
  return unreadable(e) ?? { ...(e.event as StationKeyRegistered).data, revision: e.revision };
}

/** The kinds of station history an auditor can ask for, by the event type that records each. */
export const HISTORY_KINDS = { boot: 'StationBootReported', 'firmware-status': 'FirmwareStatusReported', 'security-event': 'SecurityEventReported', 'log-upload': 'LogUploadStatusReported' } as const;
export type HistoryKind = keyof typeof HISTORY_KINDS;
const HISTORY_TYPES: ReadonlySet<string> = new Set(Object.values(HISTORY_KINDS));

/**
 * What the station reported over OCPP (boots with their firmware version, firmware status, security
 * events, log uploads), each with its event type and position; only the kind asked for when one is.
 */
export function historyView(kind?: HistoryKind) {
  return (e: RecordedEvent) => {
    if (kind ? e.event.type !== HISTORY_KINDS[kind] : !HISTORY_TYPES.has(e.event.type)) return undefined;
    return unreadable(e) ?? { type: e.event.type, ...(e.event as StationHistoryEvent).data, streamId: e.streamId, revision: e.revision };
  };
}

function signedMetadata(signedText: unknown): unknown {
  try {
    return (JSON.parse(String(signedText)) as { metadata?: unknown })?.metadata ?? null;
  } catch {
    return null;
  }
}
