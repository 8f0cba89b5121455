import { LedgerRuleViolation, quoteBounded } from './LedgerRuleViolation';

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}([.,]\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;

/**
 * Whether `value` is an ISO 8601 date or date-time that names a real instant: a day that exists in
 * its month (2025-02-30 is refused, where Date.parse would roll it over to 2 March), hours to 23,
 * minutes and seconds to 59.
 */
export function isIsoTime(value: unknown): value is string {
  if (typeof value !== 'string' || !ISO_8601.test(value) || !Number.isFinite(Date.parse(value.replace(',', '.')))) return false;
  const [y, m, d] = value.slice(0, 10).split('-').map(Number);
  // Year, month and day set together: Date.UTC reads years 0-99 as 1900-1999.
  const day = new Date(0);
  day.setUTCFullYear(y, m - 1, d);
  if (day.getUTCFullYear() !== y || day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d) return false;
  const time = /T(\d{2}):(\d{2})(?::(\d{2}))?/.exec(value);
  return !time || (Number(time[1]) <= 23 && Number(time[2]) <= 59 && Number(time[3] ?? 0) <= 59);
}

/** Throws a LedgerRuleViolation naming the field when `value` is not an ISO 8601 time. */
export function assertIsoTime(field: string, value: unknown): asserts value is string {
  if (!isIsoTime(value)) throw new LedgerRuleViolation('iso-8601', `${field} must be an ISO 8601 date-time such as 2025-01-01T08:00:00Z; got ${quoteBounded(value)}`);
}
