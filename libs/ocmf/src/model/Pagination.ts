import type { PaginationContext } from './CodeLists';

/**
 * PG: `<context letter><counter>`, optionally followed by `-<suffix>`.
 * The CP800 writes `T15-4193206880799101095`: counter 15, then the transaction id.
 * The counter is the only legal order of datasets (the station clock is not certified).
 */
export interface Pagination {
  raw: string;
  context: PaginationContext | string;
  /** The counter; a string of digits kept exact (it may exceed 2^53 on some meters). */
  counter: bigint;
  /** Text after the dash, when present (CP800: transaction id). */
  suffix?: string;
}

export type PaginationParse = { ok: true; pagination: Pagination } | { ok: false; reason: string };

const PG = /^([A-Za-z])(\d+)(?:-(.*))?$/;

export function parsePagination(raw: string): PaginationParse {
  const m = PG.exec(raw.trim());
  if (!m) {
    return { ok: false, reason: `PG "${raw}" is not <letter><counter>[-<suffix>]` };
  }
  const pagination: Pagination = { raw, context: m[1], counter: BigInt(m[2]) };
  if (m[3] !== undefined) pagination.suffix = m[3];
  return { ok: true, pagination };
}
