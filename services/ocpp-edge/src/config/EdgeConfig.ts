import type { SecurityProfile } from '../domain/SecurityProfile';

/** The edge's settings, validated (see loadEdgeConfig and the README's "Settings"). */
export interface EdgeConfig {
  mode: 'standalone' | 'proxy';
  listen: { host: string; port: number };
  securityProfiles: ReadonlySet<SecurityProfile>;
  /** PEM file paths; present for profiles 2 and 3. `ca` (the operator CA) is present for profile 3. */
  tls?: { certFile: string; keyFile: string; caFile?: string };
  stationsFile: string;
  upstream?: UpstreamConfig;
  kafka: { brokers: string[]; topic: string; clientId: string; ackTimeoutMs: number };
  maxFrameBytes: number;
  maxBadFrames: number;
  heartbeatIntervalS: number;
  edgeInstance: string;
  shutdownTimeoutMs: number;
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
