import { quoteBounded } from '@metrology-ledger/ledger';
import { NOREPLY as NOREPLY_VALUE, RPCClient } from 'ocpp-rpc';
import type { EdgeLogger } from '../application/EdgeLogger';
import type { StationAdmission } from '../application/authenticateStation';
import type { UpstreamConfig } from '../config/EdgeConfig';
import { HandshakeRefusal } from '../domain/HandshakeRefusal';
import { isOcppSubprotocol, type OcppSubprotocol } from '../domain/OcppVersion';
import { RawFrameCapture, type RawFrame } from './RawFrameCapture';

const NOREPLY = NOREPLY_VALUE as unknown as symbol;

/** TLS material for the connection to the CSMS (file contents). */
export interface UpstreamTls {
  ca?: string;
  cert?: string;
  key?: string;
}

/** The station side of a proxied connection, as the upstream link sees it. */
export interface StationSide {
  /** Sends a frame from the CSMS to the station, unchanged. */
  toStation(text: string, action?: string): void;
  upstreamClosed(code: number, reason: string): void;
}

/**
 * Proxy mode: the edge's own connection to the operator's CSMS for one station (an ocpp-rpc
 * RPCClient under the station's identity and subprotocol, without validation: frames pass
 * unchanged both ways, and judging them is the CSMS's and the station's business). A station CALL
 * is sent as its raw text and its answer is matched back by message id; a CSMS CALL is handed to
 * the station as its raw text, and the station's answer comes back through `sendRaw`.
 */
export class UpstreamLink {
  private readonly waiting = new Map<string, { resolve: (frame: RawFrame | undefined) => void; timer: NodeJS.Timeout }>();
  private station: StationSide | undefined;
  private readonly early: { text: string; action?: string }[] = [];
  private closing = false;
  private ended: { code: number; reason: string } | undefined;

  private constructor(
    private readonly client: RPCClient,
    private readonly timeoutMs: number,
    private readonly log: EdgeLogger,
    private readonly identity: string,
  ) {
    // Handlers before connecting: a CSMS may call the station the moment the socket opens.
    const capture = new RawFrameCapture(client, (id, frame) => this.onResponse(id, frame));
    client.handle(({ messageId, method }: { messageId?: string; method?: string }) => {
      const frame = messageId !== undefined ? capture.takeCall(messageId) : undefined;
      if (frame) this.toStation(frame.text, method ?? 'other');
      return NOREPLY as never;
    });
    // Answers to calls ocpp-rpc did not make itself are "bad messages" to it; they were forwarded.
    client.on('badMessage', () => undefined);
    client.on('socketError', (e: Error) => log.warn(`upstream for station ${quoteBounded(identity)}: ${quoteBounded(e.message, 200)}`));
    client.on('close', ({ code, reason }: { code: number; reason: string }) => {
      for (const [, w] of this.waiting) {
        clearTimeout(w.timer);
        w.resolve(undefined);
      }
      this.waiting.clear();
      this.ended = { code, reason: String(reason ?? '') };
      if (!this.closing) this.station?.upstreamClosed(this.ended.code, this.ended.reason);
    });
  }

  /** The subprotocol the CSMS chose. */
  get protocol(): OcppSubprotocol {
    return this.client.protocol as OcppSubprotocol;
  }

  /**
   * Connects to the CSMS for an admitted station; the CSMS chooses among the subprotocols the
   * station offered. Throws a HandshakeRefusal when the CSMS refuses or cannot be reached.
   */
  static async open(config: UpstreamConfig, tls: UpstreamTls, admission: StationAdmission, stationPassword: Buffer | undefined, log: EdgeLogger): Promise<UpstreamLink> {
    const password = admission.station.upstreamPassword ?? (config.basicAuth === 'forward' ? stationPassword : undefined);
    const client = new RPCClient({
      endpoint: config.url,
      identity: admission.identity,
      protocols: admission.subprotocols,
      ...(password !== undefined ? { password: password as unknown as string } : {}),
      reconnect: false,
      strictMode: false,
      callTimeoutMs: config.timeoutMs,
      wsOpts: { ...tls, minVersion: 'TLSv1.2', handshakeTimeout: config.timeoutMs },
    } as never);
    const link = new UpstreamLink(client, config.timeoutMs, log, admission.identity);
    try {
      await client.connect();
    } catch (e) {
      const err = e as Error & { code?: unknown };
      if (typeof err.code === 'number') throw HandshakeRefusal.upstreamRefused(admission.identity, err.code, err.message);
      throw HandshakeRefusal.upstreamUnreachable(admission.identity, `${typeof err.code === 'string' ? `${err.code} ` : ''}${err.message}`);
    }
    const protocol = client.protocol;
    if (!isOcppSubprotocol(protocol) || !admission.subprotocols.includes(protocol)) {
      void client.close({ code: 1002, reason: 'subprotocol' });
      throw HandshakeRefusal.upstreamRefused(admission.identity, 502, `the CSMS chose subprotocol ${quoteBounded(protocol ?? '')}, which the station did not offer`);
    }
    return link;
  }

  /** Connects the station side; frames the CSMS sent before this are delivered now, in order. */
  attach(station: StationSide): void {
    this.station = station;
    for (const f of this.early.splice(0)) station.toStation(f.text, f.action);
    if (this.ended && !this.closing) station.upstreamClosed(this.ended.code, this.ended.reason);
  }

  /**
   * Sends a station CALL upstream unchanged and waits for the CSMS's answer (its raw frame).
   * Undefined when the CSMS does not answer within the timeout or the connection ends.
   */
  forwardCall(messageId: string, text: string): Promise<RawFrame | undefined> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting.delete(messageId);
        this.log.warn(`station ${quoteBounded(this.identity)}: the CSMS did not answer call ${quoteBounded(messageId)} within ${this.timeoutMs} ms; the station is not answered either`);
        resolve(undefined);
      }, this.timeoutMs);
      this.waiting.get(messageId)?.resolve(undefined);
      this.waiting.set(messageId, { resolve, timer });
      try {
        this.client.sendRaw(text);
      } catch (e) {
        clearTimeout(timer);
        this.waiting.delete(messageId);
        this.log.warn(`station ${quoteBounded(this.identity)}: cannot forward to the CSMS (${quoteBounded((e as Error).message, 120)})`);
        resolve(undefined);
      }
    });
  }

  /** Sends a station's answer to a CSMS call upstream unchanged. */
  sendRaw(text: string): void {
    try {
      this.client.sendRaw(text);
    } catch (e) {
      this.log.warn(`station ${quoteBounded(this.identity)}: answer not forwarded, the CSMS connection is closed (${quoteBounded((e as Error).message, 120)})`);
    }
  }

  async close(code = 1000, reason = ''): Promise<void> {
    this.closing = true;
    await this.client.close({ code, reason }).catch(() => undefined);
  }

  private toStation(text: string, action?: string): void {
    if (this.station) this.station.toStation(text, action);
    else this.early.push({ text, ...(action !== undefined ? { action } : {}) });
  }

  private onResponse(messageId: string, frame: RawFrame): void {
    const w = this.waiting.get(messageId);
    if (w) {
      clearTimeout(w.timer);
      this.waiting.delete(messageId);
      w.resolve(frame);
    } else {
      // An answer after the edge stopped waiting: the station still gets it, as it would directly.
      this.toStation(frame.text);
    }
  }
}
