import { OCPI_STATUS, OcpiError } from './OcpiStatus';
import { ocpiDateTime, quoted } from './ocpiText';

/** The most CDRs one page holds (sent as X-Limit). */
export const CDR_PAGE_MAX = 100;

export interface CdrListQuery {
  offset: number;
  limit: number;
  dateFrom?: string;
  dateTo?: string;
}

/** The paginated GET's parameters (transport_and_format, pagination; mod_cdrs, date_from/date_to); anything else is a 2001. */
export function readCdrListQuery(q: Record<string, unknown>): CdrListQuery {
  const problems: string[] = [];
  for (const k of Object.keys(q)) if (!['offset', 'limit', 'date_from', 'date_to'].includes(k)) problems.push(`${quoted(k, 40)} is not a parameter (offset, limit, date_from, date_to)`);
  const whole = (name: string, v: unknown, fallback: number, max: number): number => {
    if (v === undefined) return fallback;
    if (typeof v !== 'string' || !/^\d{1,9}$/.test(v) || Number(v) > max) {
      problems.push(`${name} must be a whole number from 0 to ${max}; got ${quoted(v)}`);
      return fallback;
    }
    return Number(v);
  };
  const time = (name: string, v: unknown): string | undefined => {
    if (v === undefined) return undefined;
    const iso = ocpiDateTime(v);
    if (iso === undefined) problems.push(`${name} must be an OCPI DateTime such as 2026-01-28T12:00:00Z; got ${quoted(v)}`);
    return iso;
  };
  const out: CdrListQuery = { offset: whole('offset', q.offset, 0, 1_000_000_000), limit: Math.max(1, whole('limit', q.limit, CDR_PAGE_MAX, 1_000_000_000)), dateFrom: time('date_from', q.date_from), dateTo: time('date_to', q.date_to) };
  if (problems.length > 0) throw new OcpiError(400, OCPI_STATUS.invalidParameters, problems.join('; '));
  out.limit = Math.min(out.limit, CDR_PAGE_MAX);
  return out;
}

/** The Link header of the next page, when there is one (same filters, next offset). */
export function nextPageLink(baseUrl: string, q: CdrListQuery, returned: number, total: number): string | undefined {
  if (q.offset + returned >= total || returned === 0) return undefined;
  const u = new URL(baseUrl);
  if (q.dateFrom) u.searchParams.set('date_from', q.dateFrom);
  if (q.dateTo) u.searchParams.set('date_to', q.dateTo);
  u.searchParams.set('offset', String(q.offset + returned));
  u.searchParams.set('limit', String(q.limit));
  return `<${u.toString()}>; rel="next"`;
}
