import { Type } from 'class-transformer';
import { IsInt, IsISO8601, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { STATION_ID_PATTERN, STATION_ID_RULE } from '@metrology-ledger/ledger';

export const MAX_PAGE_SIZE = 500;

export class SessionsQueryDto {
  @ApiPropertyOptional({ description: STATION_ID_RULE }) @IsOptional() @IsString() @Matches(STATION_ID_PATTERN, { message: `stationId: ${STATION_ID_RULE}` }) stationId?: string;
  @ApiPropertyOptional({ description: 'end reading at or after (ISO 8601)' }) @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional({ description: 'end reading before (ISO 8601)' }) @IsOptional() @IsISO8601() to?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(100) cursor?: string;
  @ApiPropertyOptional({ maximum: MAX_PAGE_SIZE, default: 100 }) @IsOptional() @Type(() => Number) @IsInt() @Min(1) @Max(MAX_PAGE_SIZE) limit?: number;
}

export class SignedDataQueryDto {
  @ApiPropertyOptional({ enum: ['ocmf', 'safe-xml', 'ocpi'] }) @IsOptional() @Matches(/^(ocmf|safe-xml|ocpi)$/) format?: 'ocmf' | 'safe-xml' | 'ocpi';
}
