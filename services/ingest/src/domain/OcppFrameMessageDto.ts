import 'reflect-metadata';
import { IsHexadecimal, IsIn, IsISO8601, IsNotEmpty, IsOptional, IsString, Length, MaxLength } from 'class-validator';
import { IsStationId } from './IsStationId';

/**
 * One `ocpp-frame` record of services/ocpp-edge (topic `ocpp-frames`, README of the edge, "What goes
 * to Kafka"), validated at this edge. Ingest's own copy of the contract, so that ingest does not
 * depend on the edge. The whole record is bounded by INGEST_MAX_MESSAGE_BYTES before it is read.
 */
export class OcppFrameMessageDto {
  @IsIn(['ocpp-frame']) kind!: 'ocpp-frame';
  /** `<identity>:<OCPP message id>` (`…:result` for a StartTransaction CALLRESULT). */
  @IsString() @IsNotEmpty() @MaxLength(190) messageId!: string;
  /** The station's identity: the station the datasets are filed under. */
  @IsStationId() identity!: string;
  @IsIn(['1.6', '2.0.1']) ocppVersion!: '1.6' | '2.0.1';
  @IsIn([1, 2, 3]) securityProfile!: 1 | 2 | 3;
  @IsOptional() @IsHexadecimal() @Length(64, 64) clientCertSha256?: string;
  @IsISO8601() receivedAt!: string;
  @IsString() @MaxLength(200) edgeInstance!: string;
  @IsIn(['CALL', 'CALLRESULT']) messageType!: 'CALL' | 'CALLRESULT';
  @IsString() @IsNotEmpty() @MaxLength(100) action!: string;
  @IsString() @IsNotEmpty() @MaxLength(100) ocppMessageId!: string;
  /** The WebSocket text exactly as received. */
  @IsString() @IsNotEmpty() @MaxLength(1024 * 1024) frame!: string;
  /** SHA-256 (hex) of `frame`'s UTF-8 bytes: checked by ingest. */
  @IsHexadecimal() @Length(64, 64) frameSha256!: string;
}
