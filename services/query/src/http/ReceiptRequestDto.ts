import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, Min, ValidateBy } from 'class-validator';
import { isStationId, STATION_ID_RULE } from '@metrology-ledger/ledger';

/** Which own session a receipt link is for, and for how many days it works. */
export class ReceiptRequestDto {
  @ApiProperty() @IsString() transactionId!: string;
  @ApiPropertyOptional() @IsOptional() @ValidateBy({ name: 'stationId', validator: { validate: isStationId, defaultMessage: () => `stationId: ${STATION_ID_RULE}` } }) stationId?: string;
  @ApiPropertyOptional({ minimum: 1, maximum: 90, default: 30 }) @IsOptional() @IsInt() @Min(1) @Max(90) days?: number;
}
