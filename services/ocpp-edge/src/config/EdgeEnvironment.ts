import 'reflect-metadata';
import { Expose, Type } from 'class-transformer';
import { Secret } from '@metrology-ledger/service-runtime';
import { IsDefined, IsIn, IsInt, IsNotEmpty, IsOptional, IsString, Matches, Max, Min } from 'class-validator';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const HOST = /^[A-Za-z0-9.:_-]{1,253}$/;

/**
 * The environment variables the edge reads, validated with class-validator. Only main.ts passes
 * process.env in (through loadEdgeConfig); every variable is described in the README.
 */
export class EdgeEnvironment {
  @Expose() @IsIn(['standalone', 'proxy'], { message: 'EDGE_MODE must be standalone or proxy' }) @IsDefined({ message: 'EDGE_MODE is required: standalone (the edge answers as a minimal CSMS) or proxy (between stations and your CSMS)' })
  EDGE_MODE!: string;

  @Expose() @IsOptional() @IsString() @IsNotEmpty({ message: 'EDGE_HOST must not be empty (default 0.0.0.0)' })
  EDGE_HOST?: string;

  @Expose() @IsOptional() @Type(() => Number) @IsInt({ message: 'EDGE_PORT must be an integer from 0 to 65535' }) @Min(0, { message: 'EDGE_PORT must be an integer from 0 to 65535' }) @Max(65535, { message: 'EDGE_PORT must be an integer from 0 to 65535' })
  EDGE_PORT?: number;

  @Expose() @IsOptional() @Matches(/^\s*[123]\s*(,\s*[123]\s*)*$/, { message: 'EDGE_SECURITY_PROFILES must list profiles 1, 2, 3 separated by commas, e.g. "2,3"' })
  EDGE_SECURITY_PROFILES?: string;

  @Expose() @IsOptional() @IsIn(['true', 'false'], { message: 'EDGE_ALLOW_SP1 must be true or false' })
  EDGE_ALLOW_SP1?: string;

  @Expose() @IsOptional() @IsNotEmpty({ message: 'EDGE_TLS_CERT must not be empty' })
  EDGE_TLS_CERT?: string;

  @Expose() @IsOptional() @IsNotEmpty({ message: 'EDGE_TLS_KEY must not be empty' })
  EDGE_TLS_KEY?: string;

  @Expose() @IsOptional() @IsNotEmpty({ message: 'EDGE_TLS_CA must not be empty' })
  EDGE_TLS_CA?: string;

  @Expose() @IsString({ message: 'EDGE_STATIONS_FILE must be a file path' }) @IsDefined({ message: 'EDGE_STATIONS_FILE is required: the stations the edge accepts (see add-station)' })
  EDGE_STATIONS_FILE!: string;

  @Expose() @IsOptional() @Matches(/^wss?:\/\/[^\s]+$/, { message: 'EDGE_UPSTREAM_URL must be a ws:// or wss:// URL (the station identity is appended)' })
  EDGE_UPSTREAM_URL?: string;

  @Expose() @IsOptional() @IsIn(['forward', 'none'], { message: 'EDGE_UPSTREAM_BASIC_AUTH must be forward or none' })
  EDGE_UPSTREAM_BASIC_AUTH?: string;

  @Expose() @IsOptional() @IsNotEmpty({ message: 'EDGE_UPSTREAM_CA must not be empty' })
  EDGE_UPSTREAM_CA?: string;

  @Expose() @IsOptional() @IsNotEmpty({ message: 'EDGE_UPSTREAM_CERT must not be empty' })
  EDGE_UPSTREAM_CERT?: string;

  @Expose() @IsOptional() @IsNotEmpty({ message: 'EDGE_UPSTREAM_KEY must not be empty' })
  EDGE_UPSTREAM_KEY?: string;

  @Expose() @IsOptional() @Type(() => Number) @IsInt({ message: 'EDGE_UPSTREAM_TIMEOUT_MS must be an integer from 100 to 600000' }) @Min(100, { message: 'EDGE_UPSTREAM_TIMEOUT_MS must be an integer from 100 to 600000' }) @Max(600_000, { message: 'EDGE_UPSTREAM_TIMEOUT_MS must be an integer from 100 to 600000' })
  EDGE_UPSTREAM_TIMEOUT_MS?: number;

  @Expose() @Matches(/^\s*[^\s,:]+:[0-9]{1,5}\s*(,\s*[^\s,:]+:[0-9]{1,5}\s*)*$/, { message: 'KAFKA_BROKERS must list host:port pairs separated by commas, e.g. 127.0.0.1:19092' }) @IsDefined({ message: 'KAFKA_BROKERS is required, e.g. 127.0.0.1:19092 (comma-separated)' })
  KAFKA_BROKERS!: string;

  @Expose() @IsOptional() @Matches(/^[A-Za-z0-9._-]{1,249}$/, { message: 'KAFKA_TOPIC_OCPP_FRAMES must be a Kafka topic name (letters, digits, . _ -; default ocpp-frames)' })
  KAFKA_TOPIC_OCPP_FRAMES?: string;

  @Expose() @IsOptional() @IsNotEmpty({ message: 'KAFKA_CLIENT_ID must not be empty' })
  KAFKA_CLIENT_ID?: string;

  // SASL and TLS to the brokers: checked together by kafkaConnectionOf (loadEdgeConfig); the password is never shown.
  @Expose() @IsOptional() @IsString()
  KAFKA_SASL_MECHANISM?: string;

  @Expose() @IsOptional() @IsString()
  KAFKA_SASL_USERNAME?: string;

  @Expose() @IsOptional() @Secret({ file: true }) @IsString({ message: 'KAFKA_SASL_PASSWORD must be a string' })
  KAFKA_SASL_PASSWORD?: string;

  @Expose() @IsOptional() @IsString()
  KAFKA_SSL_CA_FILE?: string;

  @Expose() @IsOptional() @Type(() => Number) @IsInt({ message: 'EDGE_KAFKA_ACK_TIMEOUT_MS must be an integer from 100 to 600000' }) @Min(100, { message: 'EDGE_KAFKA_ACK_TIMEOUT_MS must be an integer from 100 to 600000' }) @Max(600_000, { message: 'EDGE_KAFKA_ACK_TIMEOUT_MS must be an integer from 100 to 600000' })
  EDGE_KAFKA_ACK_TIMEOUT_MS?: number;

  @Expose() @IsOptional() @Type(() => Number) @IsInt({ message: 'EDGE_MAX_FRAME_BYTES must be an integer from 1024 to 16777216' }) @Min(1024, { message: 'EDGE_MAX_FRAME_BYTES must be an integer from 1024 to 16777216' }) @Max(16 * 1024 * 1024, { message: 'EDGE_MAX_FRAME_BYTES must be an integer from 1024 to 16777216' })
  EDGE_MAX_FRAME_BYTES?: number;

  @Expose() @IsOptional() @Type(() => Number) @IsInt({ message: 'EDGE_MAX_BAD_FRAMES must be an integer from 1 to 10000' }) @Min(1, { message: 'EDGE_MAX_BAD_FRAMES must be an integer from 1 to 10000' }) @Max(10_000, { message: 'EDGE_MAX_BAD_FRAMES must be an integer from 1 to 10000' })
  EDGE_MAX_BAD_FRAMES?: number;

  @Expose() @IsOptional() @Type(() => Number) @IsInt({ message: 'EDGE_HEARTBEAT_INTERVAL_S must be an integer from 1 to 86400' }) @Min(1, { message: 'EDGE_HEARTBEAT_INTERVAL_S must be an integer from 1 to 86400' }) @Max(86_400, { message: 'EDGE_HEARTBEAT_INTERVAL_S must be an integer from 1 to 86400' })
  EDGE_HEARTBEAT_INTERVAL_S?: number;

  @Expose() @IsOptional() @IsNotEmpty({ message: 'EDGE_TRANSACTION_ID_FILE must not be empty' })
  EDGE_TRANSACTION_ID_FILE?: string;

  @Expose() @IsOptional() @Matches(/^[A-Za-z0-9._:-]{1,100}$/, { message: 'EDGE_INSTANCE_ID must be 1-100 letters, digits or . _ : - (default: the host name)' })
  EDGE_INSTANCE_ID?: string;

  @Expose() @IsOptional() @Type(() => Number) @IsInt({ message: 'EDGE_SHUTDOWN_TIMEOUT_MS must be an integer from 0 to 600000' }) @Min(0, { message: 'EDGE_SHUTDOWN_TIMEOUT_MS must be an integer from 0 to 600000' }) @Max(600_000, { message: 'EDGE_SHUTDOWN_TIMEOUT_MS must be an integer from 0 to 600000' })
  EDGE_SHUTDOWN_TIMEOUT_MS?: number;

  @Expose() @IsOptional() @Type(() => Number) @IsInt({ message: 'EDGE_HEALTH_PORT must be an integer from 0 to 65535 (0: any free port)' }) @Min(0, { message: 'EDGE_HEALTH_PORT must be an integer from 0 to 65535 (0: any free port)' }) @Max(65535, { message: 'EDGE_HEALTH_PORT must be an integer from 0 to 65535 (0: any free port)' })
  EDGE_HEALTH_PORT?: number;

  @Expose() @IsOptional() @Matches(HOST, { message: 'EDGE_HEALTH_HOST must be a host name or address (default 0.0.0.0)' })
  EDGE_HEALTH_HOST?: string;

  @Expose() @IsOptional() @Type(() => Number) @IsInt({ message: 'METRICS_PORT must be an integer from 0 to 65535 (0: any free port)' }) @Min(0, { message: 'METRICS_PORT must be an integer from 0 to 65535 (0: any free port)' }) @Max(65535, { message: 'METRICS_PORT must be an integer from 0 to 65535 (0: any free port)' })
  METRICS_PORT?: number;

  @Expose() @IsOptional() @Matches(HOST, { message: 'METRICS_HOST must be a host name or address (default 0.0.0.0)' })
  METRICS_HOST?: string;

  @Expose() @IsOptional() @IsIn([...LOG_LEVELS], { message: `LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}` })
  LOG_LEVEL?: string;

  @Expose() @IsOptional() @Type(() => Number) @IsInt({ message: 'SHUTDOWN_GRACE_MS must be an integer from 1000 to 600000' }) @Min(1_000, { message: 'SHUTDOWN_GRACE_MS must be an integer from 1000 to 600000' }) @Max(600_000, { message: 'SHUTDOWN_GRACE_MS must be an integer from 1000 to 600000' })
  SHUTDOWN_GRACE_MS?: number;
}
