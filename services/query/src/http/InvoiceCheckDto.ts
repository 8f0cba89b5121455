import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsOptional, ValidateBy, ValidateNested } from 'class-validator';
import { isStationId, STATION_ID_RULE } from '@metrology-ledger/ledger';
import { CALENDAR_TIME_RULE, IsCalendarTime } from './calendarTime';
import { isTransactionId, TRANSACTION_ID_RULE } from './transactionId';

const KWH = /^\d{1,12}(\.\d{1,9})?$/;

/** One invoice line: the session (transaction id, station when the id is used at several), kWh billed, the price period. */
export class InvoiceLineDto {
  @ApiProperty() @ValidateBy({ name: 'transactionId', validator: { validate: isTransactionId, defaultMessage: () => `transactionId: ${TRANSACTION_ID_RULE}` } }) transactionId!: string;
  @ApiPropertyOptional() @IsOptional() @ValidateBy({ name: 'stationId', validator: { validate: isStationId, defaultMessage: () => `stationId: ${STATION_ID_RULE}` } }) stationId?: string;
  @ApiProperty({ description: 'kWh billed: decimal text (up to 9 decimals) or a JSON number' })
  @ValidateBy({ name: 'kWh', validator: { validate: (v) => (typeof v === 'string' && KWH.test(v)) || (typeof v === 'number' && Number.isFinite(v) && v >= 0), defaultMessage: () => 'kWh must be a non-negative decimal such as "12.345"' } })
  kWh!: string | number;
  @ApiPropertyOptional({ description: `price period start, inclusive: ${CALENDAR_TIME_RULE}` }) @IsOptional() @IsCalendarTime() priceFrom?: string;
  @ApiPropertyOptional({ description: `price period end, exclusive: ${CALENDAR_TIME_RULE}` }) @IsOptional() @IsCalendarTime() priceTo?: string;
}

/** A whole invoice run: up to 500 lines, checked one by one. */
export class InvoiceBatchDto {
  @ApiProperty({ type: [InvoiceLineDto] }) @IsArray() @ArrayMinSize(1) @ArrayMaxSize(500) @ValidateNested({ each: true }) @Type(() => InvoiceLineDto) lines!: InvoiceLineDto[];
}
