import { ValidateBy, type ValidationOptions } from 'class-validator';
import { isIsoTime } from '@metrology-ledger/ledger';

const PARTS = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d{1,9})?)?(?:Z|[+-](\d{2})(?::?(\d{2}))?)?)?$/;

/**
 * Whether `value` is an ISO 8601 calendar date or date-time (the ledger's `isIsoTime`: no week dates
 * such as `2025-W01`, no ordinal dates) that exists: `Date.parse` rolls `2025-02-30` over into March,
 * so the day must exist in its month, hours be 00–23, minutes and seconds 00–59, an offset at most 23:59.
 */
export function isCalendarTime(value: unknown): value is string {
  // The ledger's rule checks the day, the hours, minutes and seconds; the offset is checked here.
  if (!isIsoTime(value)) return false;
  const m = PARTS.exec(value);
  if (!m) return false;
  return Number(m[7] ?? 0) <= 23 && Number(m[8] ?? 0) <= 59;
}

export const CALENDAR_TIME_RULE = 'an ISO 8601 calendar date or date-time that exists, such as 2025-06-01 or 2025-06-01T08:00:00Z';

/** class-validator: the value is an existing ISO 8601 calendar date or date-time (`isCalendarTime`). */
export function IsCalendarTime(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isCalendarTime', validator: { validate: (v) => isCalendarTime(v), defaultMessage: (a) => `${a?.property}: ${CALENDAR_TIME_RULE}` } }, options);
}
