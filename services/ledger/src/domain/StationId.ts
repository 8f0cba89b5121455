import { LedgerRuleViolation, quoteBounded } from './LedgerRuleViolation';

/**
 * The one station-id rule, for every edge (ingest records only ids the query API can look up):
 * 1 to 100 characters of ASCII letters, digits and `. : * _ -`. No path separator, space or control
 * character can be part of an id, so an id is safe in a URL path and in a stream name.
 */
export const STATION_ID_PATTERN = /^[A-Za-z0-9_.:*-]{1,100}$/;
export const STATION_ID_RULE = 'a station id is 1-100 characters of letters, digits and . : * _ -';

export function isStationId(value: unknown): value is string {
  return typeof value === 'string' && STATION_ID_PATTERN.test(value);
}

/** Throws a LedgerRuleViolation naming the rule when `value` is not a station id. */
export function assertStationId(value: unknown): asserts value is string {
  if (!isStationId(value)) throw new LedgerRuleViolation('station-id', `${STATION_ID_RULE}; got ${quoteBounded(value)}`);
}
