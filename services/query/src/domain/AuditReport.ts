import type { SessionView } from './SessionView';

/** What an auditor's report on a station and period holds; rendered as HTML, JSON or CSV. */
export interface AuditReport {
  stationId: string;
  from: string | null;
  to: string | null;
  generatedAt: string;
  streams: { streamId: string; publicKey: string; lowest: string | null; highest: string | null; recorded: number; missing: { from: string; to: string }[] }[];
  energyPerDay: { day: string; energy: number; sessions: number }[];
  outcomes: { valid: number; conflicts: number; rejected: Record<string, number>; duplicates: number };
  clockUnsync: { from: string; to: string | null }[];
  firmware: { time: string; event: string; detail: string }[];
}

export interface AuditInputs {
  stationId: string;
  from?: string;
  to?: string;
  sessions: Iterable<SessionView>;
  gaps: { streamId: string; publicKey: string; highestCounter: string; gaps: { from: string; to: string }[] }[];
  rejectionCodes: string[];
  duplicates: number;
  metrologyLog: { time: string; event: string; metadata: unknown }[];
}

/** Pure: folds a station's sessions, gaps, rejections and metrology log into the report. */
export function buildAuditReport(input: AuditInputs, now = new Date()): AuditReport {
  const byDay = new Map<string, { energy: number; sessions: number }>();
  const perStream = new Map<string, { lowest: bigint | null; recorded: number }>();
  let valid = 0;
  let conflicts = 0;
  for (const s of input.sessions) {
    const day = (s.endTime ?? s.recordedAt).slice(0, 10);
    const d = byDay.get(day) ?? { energy: 0, sessions: 0 };
    d.sessions++;
    if (s.energy !== null && s.status === 'recorded') d.energy += Number(s.energy);
    byDay.set(day, d);
    if (s.status === 'conflict') conflicts++;
    else if (s.verdict === 'valid') valid++;
    const st = perStream.get(s.streamId) ?? { lowest: null, recorded: 0 };
    const c = BigInt(s.counter);
    st.lowest = st.lowest === null || c < st.lowest ? c : st.lowest;
    st.recorded++;
    perStream.set(s.streamId, st);
  }
  const rejected: Record<string, number> = {};
  for (const code of input.rejectionCodes) rejected[code] = (rejected[code] ?? 0) + 1;
  const clockUnsync: { from: string; to: string | null }[] = [];
  const firmware: { time: string; event: string; detail: string }[] = [];
  for (const e of [...input.metrologyLog].sort((a, b) => (a.time < b.time ? -1 : 1))) {
    const open = clockUnsync[clockUnsync.length - 1];
    if (e.event === 'ClockUnsync' && (!open || open.to !== null)) clockUnsync.push({ from: e.time, to: null });
    if (e.event === 'ClockSync' && open && open.to === null) open.to = e.time;
    if (e.event.startsWith('Firmware') || e.event === 'MeterReplaced') firmware.push({ time: e.time, event: e.event, detail: typeof e.metadata === 'string' ? e.metadata : JSON.stringify(e.metadata) });
  }
  return {
    stationId: input.stationId,
    from: input.from ?? null,
    to: input.to ?? null,
    generatedAt: now.toISOString(),
    streams: input.gaps.map((g) => ({
      streamId: g.streamId,
      publicKey: g.publicKey,
      lowest: perStream.get(g.streamId)?.lowest?.toString() ?? null,
      highest: g.highestCounter,
      recorded: perStream.get(g.streamId)?.recorded ?? 0,
      missing: g.gaps,
    })),
    energyPerDay: [...byDay].sort(([a], [b]) => (a < b ? -1 : 1)).map(([day, v]) => ({ day, energy: Math.round(v.energy * 1e4) / 1e4, sessions: v.sessions })),
    outcomes: { valid, conflicts, rejected, duplicates: input.duplicates },
    clockUnsync,
    firmware,
  };
}
