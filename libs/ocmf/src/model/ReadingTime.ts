import { TIME_STATUSES, type TimeStatus } from './CodeLists';
import { quoteBounded } from './quoteBounded';

/**
 * TM: `YYYY-MM-DDThh:mm:ss,fff+hhmm S` (ISO 8601 with comma milliseconds, zone offset,
 * then a space and the sync-status letter). The time is informative only: it is never
 * used to order datasets.
 */
export interface ReadingTime {
  raw: string;
  /** Milliseconds since the epoch, UTC. */
  epochMs: number;
  /** ISO 8601 in UTC, for display. */
  iso: string;
  /** Offset from UTC in minutes as written. */
  offsetMinutes: number;
  status?: TimeStatus | string;
  /** Departures from the exact spec format that still let the time be read. */
  deviations: string[];
}

export type ReadingTimeParse = { ok: true; time: ReadingTime } | { ok: false; reason: string };

// Tolerant grammar: '.' or ',' before the fraction, 1-9 fraction digits, zone as +hhmm, +hh:mm or Z.
const TM = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:([.,])(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})(?: ([A-Za-z]))?$/;

export function parseReadingTime(raw: string): ReadingTimeParse {
  const m = TM.exec(raw);
  if (!m) return { ok: false, reason: `TM ${quoteBounded(raw)} is not YYYY-MM-DDThh:mm:ss,fff+hhmm <status>` };
  const [, y, mo, d, h, mi, s, sep, frac, zone, status] = m;
  const deviations: string[] = [];
  if (sep !== ',') deviations.push(sep ? 'fraction separator is "." instead of ","' : 'milliseconds missing');
  if (frac !== undefined && frac.length !== 3) deviations.push(`fraction has ${frac.length} digits instead of 3`);
  if (zone === 'Z' || zone.includes(':')) deviations.push(`zone ${quoteBounded(zone)} instead of +hhmm`);
  if (status === undefined) deviations.push('sync-status letter missing');
  else if (!(status in TIME_STATUSES)) deviations.push(`sync status ${quoteBounded(status)} is not one of U, I, S, R`);

  const offsetMinutes =
    zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(-2)));
  const millis = frac === undefined ? '000' : frac.padEnd(3, '0').slice(0, 3);
  const ms = Number(millis);
  const month = Number(mo);
  const day = Number(d);
  const year = Number(y);
  const local = year >= 100 ? Date.UTC(year, month - 1, day, Number(h), Number(mi), Number(s), ms) : earlyYear(year, month, day, Number(h), Number(mi), Number(s), ms);
  const check = new Date(local);
  if (
    check.getUTCMonth() !== month - 1 ||
    check.getUTCDate() !== day ||
    Number(h) > 23 ||
    Number(mi) > 59 ||
    Number(s) > 59
  ) {
    return { ok: false, reason: `TM ${quoteBounded(raw)} is not a real calendar time` };
  }
  const epochMs = local - offsetMinutes * 60_000;
  // At offset 0 the ISO text is the fields as written (checked above).
  const iso = offsetMinutes === 0 ? `${y}-${mo}-${d}T${h}:${mi}:${s}.${millis}Z` : new Date(epochMs).toISOString();
  const time: ReadingTime = { raw, epochMs, iso, offsetMinutes, deviations };
  if (status !== undefined) time.status = status;
  return { ok: true, time };
}

/**
 * `Date.UTC` for a year from 0 to 99, which `Date.UTC` itself reads as 1900-1999: the fields set on a
 * date whose year is set first, so that a day that exists only in that year (29 February 0048) stays.
 */
function earlyYear(year: number, month: number, day: number, h: number, mi: number, s: number, ms: number): number {
  const t = new Date(0);
  t.setUTCFullYear(year, month - 1, day);
  t.setUTCHours(h, mi, s, ms);
  return t.getTime();
}

/** Writes TM the way the spec (and the CP800) does: `2025-06-03T07:48:45,000+0000 U`. */
export function formatReadingTime(epochMs: number, status: TimeStatus, offsetMinutes = 0): string {
  const local = new Date(epochMs + offsetMinutes * 60_000).toISOString(); // 2025-06-03T07:48:45.000Z
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
  return `${local.slice(0, 19)},${local.slice(20, 23)}${zone} ${status}`;
}
