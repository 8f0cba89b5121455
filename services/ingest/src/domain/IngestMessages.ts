import 'reflect-metadata';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsISO8601, IsNotEmpty, IsOptional, IsString, MaxLength, Min, ValidateNested } from 'class-validator';
import { IsStationId } from './IsStationId';

/**
 * The message contract a CSMS publishes (README, "Message schemas"), validated at the edge.
 * A message that fails validation is not dropped: it is recorded as a rejection with the reasons
 * (under the station it names when that id keeps the station-id rule, else in the ledger's
 * unattributed stream).
 */
export class OcmfDatasetMessageDto {
  @IsIn(['ocmf-dataset']) kind!: 'ocmf-dataset';
  @IsString() @IsNotEmpty() @MaxLength(200) messageId!: string;
  @IsStationId() stationId!: string;
  @IsOptional() @IsInt() @Min(0) connector?: number;
  @IsOptional() @IsString() @MaxLength(100) transactionId?: string;
  @IsOptional() @IsString() @MaxLength(100) emspId?: string;
  /** Raw OCMF, an OCPP 2.0.1 SignedMeterValueType as JSON text, or SAFE XML. */
  @IsString() @IsNotEmpty() @MaxLength(256 * 1024) ocmf!: string;
  @IsOptional() @IsISO8601() sentAt?: string;
}

export class MetrologyLogEntryDto {
  @IsString() @IsNotEmpty() @MaxLength(64 * 1024) signedText!: string;
  @IsString() @IsNotEmpty() @MaxLength(1024) signature!: string;
  @IsIn(['ECDSA-secp384r1-SHA256']) algorithm!: string;
}

export class MetrologyLogMessageDto {
  @IsIn(['metrology-log-entry']) kind!: 'metrology-log-entry';
  @IsString() @IsNotEmpty() @MaxLength(200) messageId!: string;
  @IsStationId() stationId!: string;
  @ValidateNested() @Type(() => MetrologyLogEntryDto) entry!: MetrologyLogEntryDto;
  @IsOptional() @IsISO8601() sentAt?: string;
}

export class StationFaultMessageDto {
  @IsIn(['station-fault']) kind!: 'station-fault';
  @IsString() @IsNotEmpty() @MaxLength(200) messageId!: string;
  @IsStationId() stationId!: string;
  @IsString() @IsNotEmpty() @MaxLength(200) faultId!: string;
  @IsIn(['Minor', 'Major', 'Critical']) severity!: string;
  @IsString() @MaxLength(2000) hostMessage!: string;
  @IsIn(['raised', 'cleared']) state!: string;
  @IsISO8601() at!: string;
  @IsOptional() @IsISO8601() sentAt?: string;
}
