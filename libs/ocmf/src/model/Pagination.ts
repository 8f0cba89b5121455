import type { PaginationContext } from './CodeLists';
import { quoteBounded } from './quoteBounded';

/**
 * PG: `<context letter><counter>`, optionally followed by `-<suffix>`.
 * The CP800 writes `T15-4193206880799101095`: counter 15, then the transaction id.
 * The counter is the only legal order of datasets (the station clock is not certified).
 */
export interface Pagination {
  raw: string;
  context: PaginationContext | string;
  /**
   * The counter as canonical decimal text (no leading zeros): exact at any size and serialisable
   * as JSON. Compare with `compareCounters`, never as strings.
   */
  counter: string;
  /** Text after the dash, when present (CP800: transaction id). */
  suffix?: string;
}

export type PaginationParse = { ok: true; pagination: Pagination } | { ok: false; reason: string };

const PG = /^([A-Za-z])(\d+)(?:-(.*))?$/;

export function parsePagination(raw: string): PaginationParse {
  const m = PG.exec(raw.trim());
  if (!m) {
    return { ok: false, reason: `PG ${quoteBounded(raw)} is not <letter><counter>[-<suffix>]` };
  }
  const pagination: Pagination = { raw, context: m[1], counter: canonicalDigits(m[2]) };
  if (m[3] !== undefined) pagination.suffix = m[3];
  return { ok: true, pagination };
}

/** The counter of a PG as canonical decimal text (no leading zeros), without building a Pagination. */
export function paginationCounterText(raw: string): string | undefined {
  const m = PG.exec(raw.trim());
  if (!m) return undefined;
  return canonicalDigits(m[2]);
}

function canonicalDigits(digits: string): string {
  return digits.replace(/^0+(?=\d)/, '');
}

/** Orders two counters numerically: negative, zero or positive like a comparator. */
export function compareCounters(a: string, b: string): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}
