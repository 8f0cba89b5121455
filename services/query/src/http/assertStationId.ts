import { BadRequestException } from '@nestjs/common';
import { isStationId, quoteBounded, STATION_ID_RULE } from '@metrology-ledger/ledger';

/**
 * Path parameter check shared by every station route, with the ledger's one station-id rule (the one
 * ingest applies): 400 naming the rule, never a lookup.
 */
export function assertStationId(stationId: string): string {
  if (!isStationId(stationId)) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', rule: 'station-id', message: `stationId: ${STATION_ID_RULE}; got ${quoteBounded(stationId)}` });
  return stationId;
}
