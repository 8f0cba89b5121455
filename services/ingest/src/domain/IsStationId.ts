import { Matches, type ValidationOptions } from 'class-validator';
import { quoteBounded, STATION_ID_PATTERN, STATION_ID_RULE } from '@metrology-ledger/ledger';

/**
 * The one station-id rule of every edge (the ledger's `STATION_ID_RULE`), as a class-validator rule:
 * ingest records under a station only ids the query API can look up. The message names the rule and
 * quotes the value, bounded.
 */
export function IsStationId(options: ValidationOptions = {}): PropertyDecorator {
  return Matches(STATION_ID_PATTERN, { message: (a) => `${STATION_ID_RULE}; got ${quoteBounded(a.value)}`, ...options });
}
