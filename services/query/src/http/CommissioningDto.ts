import { IsISO8601, IsOptional } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The commissioning record's fields; the station is the one in the path, never a body field (refused). */
export class CommissioningDto {
  @ApiProperty() @IsISO8601() commissionedAt!: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601() decommissionedAt?: string;
  @ApiPropertyOptional({ description: 'competent calibration authority notified' }) @IsOptional() @IsISO8601() authorityNotifiedAt?: string;
  @ApiPropertyOptional({ description: 'Bundesnetzagentur notified of commissioning' }) @IsOptional() @IsISO8601() bnetzaNotifiedAt?: string;
  @ApiPropertyOptional({ description: 'Bundesnetzagentur notified of decommissioning' }) @IsOptional() @IsISO8601() bnetzaDecommissionNotifiedAt?: string;
}
