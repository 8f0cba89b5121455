import { matchFirmwareChanges, type FirmwareChange, type FirmwareInstalledEntry, type MatchedFirmwareChange } from '../domain/matchFirmwareChanges';
import type { SessionView } from '../domain/SessionView';

/** What an auditor's report on a station and period holds; rendered as HTML, JSON or CSV. */
export interface AuditReport {
  stationId: string;
  from: string | null;
  to: string | null;
  generatedAt: string;
  /** Per key stream: counter range, datasets recorded in the period, open gaps as ranges (never enumerated). */
  streams: { streamId: string; publicKey: string; lowest: string | null; highest: string | null; recorded: number; missingCount: string; missing: { from: string; to: string }[] }[];
  /** OCPP 2.0.1 transactions with seqNos that never arrived (a lost OCPP message), as ranges (`Ledger.seqNoGaps`). */
  seqNoGaps: { transactionId: string; missingCount: string; missing: { from: string; to: string }[] }[];
  energyPerDay: { day: string; energy: number; sessions: number }[];
  /** Sessions counted without an energy figure (conflict, unreadable or out-of-range readings…). */
  sessionsWithoutEnergy: number;
  outcomes: { valid: number; conflicts: number; rejected: Record<string, number>; duplicates: number };
  clockUnsync: { from: string; to: string | null }[];
  firmware: { time: string; event: string; detail: string }[];
  /**
   * The firmware the station reported at boot over OCPP (its history stream): the last version
   * reported up to the end of the period, and each change in the period with the signed metrology-log
   * FirmwareInstalled entry that accounts for it (`logEntry` null: none does; `unmatched` counts them).
   */
  stationFirmware: { current: { version: string; reportedAt: string; messageId: string } | null; changes: MatchedFirmwareChange[]; unmatched: number };
  /** What the report had to leave out to stay bounded, said in words. */
  notes: string[];
}

/** The ledger's open gaps of one stream, as `Ledger.gaps` gives them. */
export interface StreamGapsInput {
  streamId: string;
  publicKey: string;
  highestCounter: string;
  gaps: { from: string; to: string }[];
  missing: string;
}

/** One transaction's missing seqNos, as `Ledger.seqNoGaps` gives them. */
export interface SeqNoGapsInput {
  transactionId: string;
  gaps: { from: string; to: string }[];
  missing: string;
}

export interface MetrologyLogInput {
  time: string;
  event: string;
  metadata: unknown;
}

/** Above this, further clock and firmware events are counted, not listed. */
export const MAX_LISTED_LOG_EVENTS = 10_000;
/** Above this many distinct rejection codes, the rest are counted under `other`. */
export const MAX_REJECTION_CODES = 100;

const DECIMAL_COUNTER = /^\d{1,200}$/;
const LOG_EVENTS = (event: string) => event === 'ClockUnsync' || event === 'ClockSync' || event.startsWith('Firmware') || event === 'MeterReplaced';

/**
 * Folds a station's records into the report one at a time, so the report never needs a whole stream
 * or every session in memory: what it keeps grows with days, key streams and clock/firmware events,
 * never with datasets or counter values. A record it cannot read (a counter that is not decimal, an
 * energy that is not a finite number) is counted without a figure, never an exception.
 */
export class AuditReportFold {
  private readonly byDay = new Map<string, { energy: number; sessions: number }>();
  private readonly perStream = new Map<string, { lowest: bigint | null; recorded: number }>();
  private readonly rejected = new Map<string, number>();
  private readonly log: MetrologyLogInput[] = [];
  private readonly firmwareChanges: FirmwareChange[] = [];
  private readonly firmwareInstalled: FirmwareInstalledEntry[] = [];
  private currentFirmware: AuditReport['stationFirmware']['current'] = null;
  private firmwareLeftOut = 0;
  private logLeftOut = 0;
  private valid = 0;
  private conflicts = 0;
  private duplicates = 0;
  private withoutEnergy = 0;

  addSession(s: SessionView): void {
    const day = String(s.endTime ?? s.recordedAt ?? '').slice(0, 10) || 'unknown';
    const d = this.byDay.get(day) ?? { energy: 0, sessions: 0 };
    d.sessions++;
    const energy = s.energy === null ? NaN : Number(s.energy);
    if (s.status === 'recorded' && Number.isFinite(energy)) d.energy += energy;
    else this.withoutEnergy++;
    this.byDay.set(day, d);
    if (s.status === 'conflict') this.conflicts++;
    else if (s.verdict === 'valid') this.valid++;
    const st = this.perStream.get(s.streamId) ?? { lowest: null, recorded: 0 };
    if (DECIMAL_COUNTER.test(s.counter)) {
      const c = BigInt(s.counter);
      if (st.lowest === null || c < st.lowest) st.lowest = c;
    }
    st.recorded++;
    this.perStream.set(s.streamId, st);
  }

  addDuplicate(): void {
    this.duplicates++;
  }

  addRejection(code: string): void {
    const key = this.rejected.has(code) || this.rejected.size < MAX_REJECTION_CODES ? code : 'other';
    this.rejected.set(key, (this.rejected.get(key) ?? 0) + 1);
  }

  addLogEntry(e: MetrologyLogInput): void {
    if (typeof e.event !== 'string' || typeof e.time !== 'string' || !LOG_EVENTS(e.event)) return;
    if (this.log.length >= MAX_LISTED_LOG_EVENTS) this.logLeftOut++;
    else this.log.push(e);
  }

  /**
   * A boot the station reported over OCPP, in receipt order, up to the end of the period: its version
   * becomes the current one; a change (`previousFirmwareVersion`) inside the period is listed.
   */
  addBoot(b: { receivedAt: string; messageId: string; firmwareVersion?: unknown; previousFirmwareVersion?: unknown }, inPeriod: boolean): void {
    if (typeof b.firmwareVersion !== 'string') return;
    this.currentFirmware = { version: b.firmwareVersion, reportedAt: b.receivedAt, messageId: b.messageId };
    if (!inPeriod || typeof b.previousFirmwareVersion !== 'string') return;
    if (this.firmwareChanges.length >= MAX_LISTED_LOG_EVENTS) this.firmwareLeftOut++;
    else this.firmwareChanges.push({ reportedAt: b.receivedAt, from: b.previousFirmwareVersion, to: b.firmwareVersion, messageId: b.messageId });
  }

  /** A signed FirmwareInstalled entry of the metrology log, whatever its time (a change is matched against the whole log). */
  addFirmwareInstalled(e: FirmwareInstalledEntry): void {
    if (this.firmwareInstalled.length < MAX_LISTED_LOG_EVENTS) this.firmwareInstalled.push(e);
  }

  build(head: { stationId: string; from?: string; to?: string; gaps: StreamGapsInput[]; seqNoGaps?: SeqNoGapsInput[] }, now = new Date()): AuditReport {
    const clockUnsync: AuditReport['clockUnsync'] = [];
    const firmware: AuditReport['firmware'] = [];
    for (const e of [...this.log].sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0))) {
      const open = clockUnsync[clockUnsync.length - 1];
      if (e.event === 'ClockUnsync' && (!open || open.to !== null)) clockUnsync.push({ from: e.time, to: null });
      if (e.event === 'ClockSync' && open && open.to === null) open.to = e.time;
      if (e.event.startsWith('Firmware') || e.event === 'MeterReplaced') firmware.push({ time: e.time, event: e.event, detail: typeof e.metadata === 'string' ? e.metadata : JSON.stringify(e.metadata ?? null) });
    }
    const notes = this.logLeftOut > 0 ? [`${this.logLeftOut} further clock and firmware events of the metrology log are not listed (limit ${MAX_LISTED_LOG_EVENTS}); read them through /metrology-log`] : [];
    const changes = matchFirmwareChanges(this.firmwareChanges, this.firmwareInstalled);
    const unmatched = changes.filter((c) => c.logEntry === null).length;
    if (unmatched > 0) {
      notes.push(`${unmatched} firmware changes reported at boot (OCPP BootNotification) have no signed FirmwareInstalled entry in the metrology log naming the version replaced: the CP800 logs every OTA update (FirmwareUpdateRequested, FirmwareDownloaded, FirmwareInstalled with the previous LRS version)`);
    }
    if (this.firmwareLeftOut > 0) notes.push(`${this.firmwareLeftOut} further firmware changes reported at boot are not listed (limit ${MAX_LISTED_LOG_EVENTS}); read them through /history?kind=boot`);
    return {
      stationId: head.stationId,
      from: head.from ?? null,
      to: head.to ?? null,
      generatedAt: now.toISOString(),
      streams: head.gaps.map((g) => ({
        streamId: g.streamId,
        publicKey: g.publicKey,
        lowest: this.perStream.get(g.streamId)?.lowest?.toString() ?? null,
        highest: g.highestCounter,
        recorded: this.perStream.get(g.streamId)?.recorded ?? 0,
        missingCount: g.missing,
        missing: g.gaps,
      })),
      seqNoGaps: (head.seqNoGaps ?? []).map((t) => ({ transactionId: t.transactionId, missingCount: t.missing, missing: t.gaps })),
      energyPerDay: [...this.byDay].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, v]) => ({ day, energy: Math.round(v.energy * 1e4) / 1e4, sessions: v.sessions })),
      sessionsWithoutEnergy: this.withoutEnergy,
      outcomes: { valid: this.valid, conflicts: this.conflicts, rejected: Object.fromEntries(this.rejected), duplicates: this.duplicates },
      clockUnsync,
      firmware,
      stationFirmware: { current: this.currentFirmware, changes, unmatched },
      notes,
    };
  }
}

/** The whole fold at once, for records already in memory (tests, small tools). */
export function buildAuditReport(
  input: { stationId: string; from?: string; to?: string; sessions: Iterable<SessionView>; gaps: StreamGapsInput[]; rejectionCodes: Iterable<string>; duplicates: number; metrologyLog: Iterable<MetrologyLogInput> },
  now = new Date(),
): AuditReport {
  const fold = new AuditReportFold();
  for (const s of input.sessions) fold.addSession(s);
  for (const code of input.rejectionCodes) fold.addRejection(code);
  for (let i = 0; i < input.duplicates; i++) fold.addDuplicate();
  for (const e of input.metrologyLog) fold.addLogEntry(e);
  return fold.build(input, now);
}
