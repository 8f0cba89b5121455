import { BadRequestException } from '@nestjs/common';

const STATION_ID = /^[\w.:*-]{1,100}$/;

/** Path parameter check shared by every station route: 400 with the rule, never a lookup. */
export function assertStationId(stationId: string): void {
  if (!STATION_ID.test(stationId)) throw new BadRequestException('stationId: 1-100 characters of letters, digits, . : * _ -');
}
