import { ValidateBy, type ValidationOptions } from 'class-validator';
import { isIsoTime } from '@metrology-ledger/ledger';

const PARTS = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?(?:Z|[+-](\d{2})(?::?(\d{2}))?)?)?$/;

/**
 * Whether `value` is an ISO 8601 calendar date or date-time (the ledger's `isIsoTime`: no week dates
 * such as `2025-W01`, no ordinal dates) that exists: `Date.parse` rolls `2025-02-30` over into March,
 * so the day must exist in its month, hours be 00–23, minutes and seconds 00–59, an offset at most 23:59.
 */
export function isCalendarTime(value: unknown): value is string {
  if (!isIsoTime(value)) return false;
  const m = PARTS.exec(value);
  if (!m) return false;
  const [year, month, day, hour = 0, minute = 0, second = 0, offH = 0, offM = 0] = m.slice(1).map((p) => (p === undefined ? undefined : Number(p))) as number[];
  // Year, month and day set together: Date.UTC maps years 0–99 to 1900–1999, where 29 February of
  // year 0 (a leap year) would already have rolled over (1900 is not one).
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day && hour <= 23 && minute <= 59 && second <= 59 && offH <= 23 && offM <= 59;
}

export const CALENDAR_TIME_RULE = 'an ISO 8601 calendar date or date-time that exists, such as 2025-06-01 or 2025-06-01T08:00:00Z';

/** class-validator: the value is an existing ISO 8601 calendar date or date-time (`isCalendarTime`). */
export function IsCalendarTime(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isCalendarTime', validator: { validate: (v) => isCalendarTime(v), defaultMessage: (a) => `${a?.property}: ${CALENDAR_TIME_RULE}` } }, options);
}
