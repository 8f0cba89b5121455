import type { SecurityProfile } from '../domain/SecurityProfile';
import type { LogLevel } from './EdgeEnvironment';
import type { KafkaConnectionOptions } from '@metrology-ledger/service-runtime';

/** The edge's settings, validated (see loadEdgeConfig and the README's "Settings"). */
export interface EdgeConfig {
  mode: 'standalone' | 'proxy';
  listen: { host: string; port: number };
  securityProfiles: ReadonlySet<SecurityProfile>;
  /** PEM file paths; present for profiles 2 and 3. `ca` (the operator CA) is present for profile 3. */
  tls?: { certFile: string; keyFile: string; caFile?: string };
  stationsFile: string;
  /** Standalone: the transaction-id high-water mark (EDGE_TRANSACTION_ID_FILE); without it ids may repeat after a fast restart. */
  transactionIdFile?: string;
  upstream?: UpstreamConfig;
  /** `connection`: TLS and SASL (KAFKA_SSL_CA_FILE, KAFKA_SASL_*), given to every kafkajs client of the edge; holds the password. */
  kafka: { brokers: string[]; topic: string; clientId: string; ackTimeoutMs: number; connection: KafkaConnectionOptions };
  maxFrameBytes: number;
  maxBadFrames: number;
  heartbeatIntervalS: number;
  edgeInstance: string;
  /** SIGTERM: how long one step (finishing calls and closing stations; flushing Kafka) may wait, ms. */
  shutdownTimeoutMs: number;
  /** `/health/live` and `/health/ready` (EDGE_HEALTH_PORT; 0: any free port). */
  health: { host: string; port: number };
  /** Prometheus `/metrics` on a port of its own (METRICS_PORT; 0: any free port). */
  metrics: { host: string; port: number };
  log: { level: LogLevel };
  /** SIGTERM/SIGINT: the whole stop within this, else exit 1 (SHUTDOWN_GRACE_MS), ms. */
  shutdownGraceMs: number;
}

/** Proxy mode: the operator's CSMS. */
export interface UpstreamConfig {
  /** ws:// or wss:// endpoint; the station identity is appended as the last path segment. */
  url: string;
  /** `forward`: the station's own basic-auth password is presented upstream (unless the stations file
   * names an upstreamPassword for it); `none`: no basic auth upstream. */
  basicAuth: 'forward' | 'none';
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  timeoutMs: number;
}

export const EDGE_CONFIG = Symbol('EdgeConfig');
