import { IsISO8601, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class RegisterKeyDto {
  @ApiProperty({ description: 'SPKI DER, hex' }) @IsString() @MaxLength(4096) @Matches(/^[0-9a-fA-F]+$/) publicKey!: string;
  @ApiProperty() @IsISO8601() validFrom!: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601() validTo?: string;
}
