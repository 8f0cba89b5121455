import { DecimalText } from './DecimalText';
import { IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { STATION_ID_PATTERN, STATION_ID_RULE } from '@metrology-ledger/ledger';
import { CALENDAR_TIME_RULE, IsCalendarTime } from './calendarTime';

export const MAX_PAGE_SIZE = 500;

export class SessionsQueryDto {
  @ApiPropertyOptional({ description: STATION_ID_RULE }) @IsOptional() @IsString() @Matches(STATION_ID_PATTERN, { message: `stationId: ${STATION_ID_RULE}` }) stationId?: string;
  @ApiPropertyOptional({ description: `end reading at or after: ${CALENDAR_TIME_RULE}` }) @IsOptional() @IsCalendarTime() from?: string;
  @ApiPropertyOptional({ description: `end reading before: ${CALENDAR_TIME_RULE}` }) @IsOptional() @IsCalendarTime() to?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) cursor?: string;
  @ApiPropertyOptional({ maximum: MAX_PAGE_SIZE, default: 100 }) @IsOptional() @DecimalText() @IsInt() @Min(1) @Max(MAX_PAGE_SIZE) limit?: number;
}

/** The station of a session, when the eMSP has sessions with this transaction id at more than one station. */
export class SessionQueryDto {
  @ApiPropertyOptional({ description: `the station of the session (needed when the transaction id is used at several stations): ${STATION_ID_RULE}` })
  @IsOptional()
  @IsString()
  @Matches(STATION_ID_PATTERN, { message: `stationId: ${STATION_ID_RULE}` })
  stationId?: string;
}

export class SignedDataQueryDto extends SessionQueryDto {
  @ApiPropertyOptional({ enum: ['ocmf', 'safe-xml', 'ocpi'] }) @IsOptional() @Matches(/^(ocmf|safe-xml|ocpi)$/) format?: 'ocmf' | 'safe-xml' | 'ocpi';
}
