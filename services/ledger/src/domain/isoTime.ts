import { LedgerRuleViolation, quoteBounded } from './LedgerRuleViolation';

const ISO_8601 = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}([.,]\d{1,9})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/;

/** Whether `value` is an ISO 8601 date or date-time that names a real instant. */
export function isIsoTime(value: unknown): value is string {
  return typeof value === 'string' && ISO_8601.test(value) && Number.isFinite(Date.parse(value.replace(',', '.')));
}

/** Throws a LedgerRuleViolation naming the field when `value` is not an ISO 8601 time. */
export function assertIsoTime(field: string, value: unknown): asserts value is string {
  if (!isIsoTime(value)) throw new LedgerRuleViolation('iso-8601', `${field} must be an ISO 8601 date-time such as 2025-01-01T08:00:00Z; got ${quoteBounded(value)}`);
}
