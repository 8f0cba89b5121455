import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RefusalCode } from '../domain/HandshakeRefusal';
import type { OcppVersion } from '../domain/OcppVersion';
import type { SecurityProfile } from '../domain/SecurityProfile';

/** Which way a frame went: a station's CALL to the edge, or a CSMS CALL to the station (proxy). */
export type FrameDirection = 'from_station' | 'to_station';

/**
 * The edge's Prometheus metrics, in a registry of its own (with Node's process metrics): connected
 * stations by OCPP version and security profile, CALL frames by action and direction, frames
 * published to Kafka (stored or not) and the Kafka send latency, handshake refusals by reason, bad
 * and oversize frames. One instance per edge application (tests run several in one process).
 */
export class EdgeMetrics {
  readonly registry = new Registry();

  private readonly connected = new Gauge({
    name: 'edge_connected_stations',
    help: 'Stations connected now, by OCPP version (1.6, 2.0.1) and security profile (1, 2, 3)',
    labelNames: ['ocpp_version', 'security_profile'] as const,
    registers: [this.registry],
  });

  private readonly connections = new Counter({
    name: 'edge_connections_total',
    help: 'Station connections accepted, by OCPP version and security profile',
    labelNames: ['ocpp_version', 'security_profile'] as const,
    registers: [this.registry],
  });

  private readonly frames = new Counter({
    name: 'edge_frames_total',
    help: 'OCPP CALL frames that passed validation, by action and direction (from_station: a station CALL; to_station: a CSMS CALL forwarded to the station, proxy mode)',
    labelNames: ['action', 'direction'] as const,
    registers: [this.registry],
  });

  private readonly published = new Counter({
    name: 'edge_frames_published_total',
    help: 'Frame records sent to Kafka, by action, message type (CALL, CALLRESULT) and outcome (stored: acknowledged by every in-sync replica; not_stored: the station got InternalError)',
    labelNames: ['action', 'message_type', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly sendSeconds = new Histogram({
    name: 'edge_kafka_send_duration_seconds',
    help: 'Time from handing a batch of frame records to the Kafka producer to the acknowledgement by every in-sync replica (acks=all), seconds; failed sends included',
    labelNames: ['outcome'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [this.registry],
  });

  private readonly refusals = new Counter({
    name: 'edge_handshake_refusals_total',
    help: 'WebSocket handshakes refused, by reason (HandshakeRefusal code: wrong-password, unknown-station, certificate-mismatch, …)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  private readonly badFrames = new Counter({
    name: 'edge_bad_frames_total',
    help: 'Frames from stations that broke the OCPP schema or were not OCPP-J (answered with the OCPP error, never stored or forwarded)',
    registers: [this.registry],
  });

  private readonly closedForBadFrames = new Counter({
    name: 'edge_bad_frame_disconnects_total',
    help: 'Connections closed (1002) after EDGE_MAX_BAD_FRAMES bad frames in a row',
    registers: [this.registry],
  });

  private readonly oversize = new Counter({
    name: 'edge_oversize_frames_total',
    help: 'Frames over EDGE_MAX_FRAME_BYTES (the connection is closed with 1009)',
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  stationConnected(version: OcppVersion, profile: SecurityProfile): void {
    const labels = { ocpp_version: version, security_profile: String(profile) };
    this.connected.inc(labels);
    this.connections.inc(labels);
  }

  stationDisconnected(version: OcppVersion, profile: SecurityProfile): void {
    this.connected.dec({ ocpp_version: version, security_profile: String(profile) });
  }

  frame(action: string, direction: FrameDirection): void {
    this.frames.inc({ action, direction });
  }

  publishedFrame(action: string, messageType: 'CALL' | 'CALLRESULT', stored: boolean): void {
    this.published.inc({ action, message_type: messageType, outcome: stored ? 'stored' : 'not_stored' });
  }

  kafkaSend(seconds: number, ok: boolean): void {
    this.sendSeconds.observe({ outcome: ok ? 'ok' : 'failed' }, seconds);
  }

  refused(reason: RefusalCode): void {
    this.refusals.inc({ reason });
  }

  badFrame(): void {
    this.badFrames.inc();
  }

  closedAfterBadFrames(): void {
    this.closedForBadFrames.inc();
  }

  oversizeFrame(): void {
    this.oversize.inc();
  }
}
