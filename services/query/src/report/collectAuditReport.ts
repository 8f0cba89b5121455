import type { Ledger } from '@metrology-ledger/ledger';
import type { SessionStore } from '../readmodel/SessionStore';
import { AuditReportFold, type AuditReport } from './AuditReport';

export interface ReportScope {
  stationId: string;
  /** ISO times: the period [from, to). */
  from?: string;
  to?: string;
}

const within = (time: unknown, q: ReportScope) => typeof time === 'string' && (!q.from || time >= q.from) && (!q.to || time < q.to);

/** The `metadata` of a signed metrology-log entry, or null when its signed text does not read. */
function metadataOf(signedText: unknown): unknown {
  try {
    return (JSON.parse(String(signedText)) as { metadata?: unknown })?.metadata ?? null;
  } catch {
    return null;
  }
}

/**
 * The audit report of one station and period, folded while reading: sessions from the read model
 * (`SessionStore.station`, row by row), duplicates, rejections and the metrology log from the ledger
 * API (`datasetStreams`, `stationStream`, `eventsOf`, page by page), the firmware the station reported
 * at boot from its history stream (checked against the log's FirmwareInstalled entries), open gaps as
 * ranges from `Ledger.gaps`, missing OCPP 2.0.1 seqNos from `Ledger.seqNoGaps`. Only this station's
 * streams are read (the ledger names them; no prefix is built here).
 */
export async function collectAuditReport(ledger: Ledger, sessions: SessionStore, q: ReportScope, now = new Date()): Promise<AuditReport> {
  const fold = new AuditReportFold();
  for (const streamId of await ledger.datasetStreams(q.stationId)) {
    for await (const { event } of ledger.eventsOf(streamId)) {
      if (event.type === 'DuplicateReceived' && within(event.data?.receipt?.receivedAt, q)) fold.addDuplicate();
    }
  }
  for await (const { event } of ledger.eventsOf(ledger.stationStream(q.stationId, 'rejections'))) {
    if (event.type === 'DatasetRejected' && within(event.data?.receipt?.receivedAt, q)) fold.addRejection(String(event.data.code));
  }
  for await (const { event } of ledger.eventsOf(ledger.stationStream(q.stationId, 'metrology'))) {
    if (event.type !== 'MetrologyLogEntryRecorded') continue;
    if (within(event.data?.time, q)) fold.addLogEntry({ time: event.data.time, event: String(event.data.event), metadata: metadataOf(event.data.signedText) });
    if (event.data?.event === 'FirmwareInstalled') fold.addFirmwareInstalled({ seq: Number(event.data.seq), time: String(event.data.time), metadata: metadataOf(event.data.signedText) });
  }
  for await (const { event } of ledger.eventsOf(ledger.stationStream(q.stationId, 'history'))) {
    if (event.type !== 'StationBootReported') continue;
    const receivedAt = event.data?.receipt?.receivedAt;
    if (typeof receivedAt !== 'string' || (q.to && receivedAt >= q.to)) continue;
    fold.addBoot({ ...event.data, receivedAt, messageId: String(event.data.receipt.messageId) }, within(receivedAt, q));
  }
  for await (const s of sessions.station(q.stationId, q.from, q.to)) fold.addSession(s);
  const [seqNos] = await ledger.seqNoGaps(q.stationId);
  return fold.build({ stationId: q.stationId, from: q.from, to: q.to, gaps: await ledger.gaps(q.stationId), seqNoGaps: seqNos.transactions }, now);
}
