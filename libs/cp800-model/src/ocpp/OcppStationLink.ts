import { once } from 'node:events';
import { RPCClient, TimeoutError, UnexpectedHttpResponse } from 'ocpp-rpc';
import type { OcppVersion } from './ocppPayloads';

/** How a simulated station reaches the edge: URL, version, security profile and its credentials. */
export interface OcppLinkOptions {
  /** `ws://…` or `wss://…`; the station identity is appended as the last path segment. */
  url: string;
  version: OcppVersion;
  /** Profiles 1 and 2: HTTP basic auth, user name = identity. */
  password?: string;
  /** Profile 3: the station's client certificate and key (PEM). */
  certificate?: { cert: string; key: string };
  /** CA (PEM) to trust for `wss://`; the system's CAs when absent. */
  ca?: string;
  /** How long one CALL waits for its answer before it is sent again (default 30 s). */
  callTimeoutMs?: number;
  /** Reconnect back-off (default 1 s doubling to 10 s). */
  backoff?: { initialDelay: number; maxDelay: number };
  /** Sends of one CALL before the station gives up (default 30); a real station keeps it for ever. */
  maxSends?: number;
  /** Attempts of the first connection (with the reconnect back-off between them) before the station gives up (default 30). */
  maxConnectAttempts?: number;
}

/** A frame the station put on the wire: the first send of a CALL (`sends` 1) or a resend of the same text. */
export interface SentFrame {
  identity: string;
  ocppMessageId: string;
  action: string;
  frame: string;
  sends: number;
}

/**
 * A station could not connect: the edge refused the WebSocket handshake (`status`: 401 for a wrong
 * password, certificate or unknown identity, 400 for a wrong subprotocol, …; the edge tells no more),
 * or could not be reached (TLS, DNS, connection refused: `reason`).
 */
export class OcppConnectionFailed extends Error {
  constructor(
    readonly identity: string,
    readonly url: string,
    readonly status: number | undefined,
    readonly reason: string,
  ) {
    super(status === undefined ? `${identity} could not reach the edge at ${url}: ${reason.slice(0, 200)}` : `the edge refused ${identity}'s connection: HTTP ${status} ${reason.slice(0, 200)}`);
    this.name = 'OcppConnectionFailed';
  }
}

/** The edge answered a CALL with a CALLERROR a station does not retry (a schema violation, …), or the station gave up. */
export class OcppCallFailed extends Error {
  constructor(
    readonly identity: string,
    readonly action: string,
    readonly ocppMessageId: string,
    readonly code: string,
    readonly description: string,
  ) {
    super(`the edge answered ${identity}'s ${action} (${ocppMessageId}) with ${code}: ${description.slice(0, 200)}`);
    this.name = 'OcppCallFailed';
  }
}

/** Answers after which a station keeps its CALL and sends it again: no answer, a broken connection, the edge's InternalError (its Kafka did not take the frame). */
const KEEP = new Set(['AbortError', 'TimeoutError', 'InternalError', 'Disconnected']);

class CallError extends Error {
  constructor(
    readonly code: string,
    description: string,
  ) {
    super(description);
  }
}

/** Node's error codes for an edge that cannot be reached yet: worth trying again. */
const TRANSIENT_NETWORK_ERRORS = new Set(['ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

/**
 * One station's OCPP-J connection (ocpp-rpc's RPCClient, strict mode: every CALL is checked against
 * the official schema before it leaves). A CALL that gets no answer (time-out, connection lost) or the
 * edge's `InternalError` is kept and sent again, after a reconnect when the connection broke, with the
 * same OCPP message id and the same text, as real stations do; the edge and ingest take a resend as the
 * same message.
 */
export class OcppStationLink {
  private readonly client: RPCClient;
  private readonly maxSends: number;
  private readonly sends = new Map<string, number>();

  constructor(
    readonly identity: string,
    private readonly options: OcppLinkOptions,
    private readonly onFrame: (frame: SentFrame) => void = () => undefined,
  ) {
    this.maxSends = options.maxSends ?? 30;
    const wsOpts: Record<string, unknown> = { minVersion: 'TLSv1.2' };
    if (options.ca) wsOpts.ca = options.ca;
    if (options.certificate) Object.assign(wsOpts, options.certificate);
    this.client = new RPCClient({
      endpoint: options.url.replace(/\/+$/, ''),
      identity,
      protocols: [`ocpp${options.version}`],
      password: options.password ?? null,
      strictMode: true,
      reconnect: true,
      callTimeoutMs: options.callTimeoutMs ?? 30_000,
      backoff: { initialDelay: options.backoff?.initialDelay ?? 1000, maxDelay: options.backoff?.maxDelay ?? 10_000, factor: 2, randomisationFactor: 0.25 },
      wsOpts,
    } as never);
    this.client.on('message', ({ message, outbound }: { message: string | Buffer; outbound: boolean }) => {
      if (!outbound) return;
      const frame = String(message);
      let parsed: unknown;
      try {
        parsed = JSON.parse(frame);
      } catch {
        return;
      }
      if (!Array.isArray(parsed) || parsed[0] !== 2) return;
      const id = String(parsed[1]);
      const sends = (this.sends.get(id) ?? 0) + 1;
      this.sends.set(id, sends);
      this.onFrame({ identity, ocppMessageId: id, action: String(parsed[2]), frame, sends });
    });
    // ocpp-rpc reports answers to a resend (ids it did not issue itself) as bad messages: expected here.
    this.client.on('badMessage', () => undefined);
    this.client.on('error', () => undefined);
  }

  /**
   * Opens the connection. An edge that cannot be reached (connection refused or reset, DNS, time-out) or
   * answers the handshake with a 5xx (a proxy edge whose CSMS is away: 502) is tried again with the
   * reconnect back-off, as a real station does, up to `maxConnectAttempts`; a 4xx refusal (wrong
   * password, certificate or identity: trying again cannot help), or any other error (a malformed URL,
   * a certificate that does not verify), at once. Either ends as an `OcppConnectionFailed`.
   */
  async open(): Promise<void> {
    const attempts = this.options.maxConnectAttempts ?? 30;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.client.connect();
        return;
      } catch (e) {
        const err = e as Error & { code?: unknown };
        const status = err instanceof UnexpectedHttpResponse && typeof err.code === 'number' ? err.code : undefined;
        const reason = err.message || String(err.code ?? 'connection failed');
        const retry = status === undefined ? typeof err.code === 'string' && TRANSIENT_NETWORK_ERRORS.has(err.code) : status >= 500;
        if (!retry) throw new OcppConnectionFailed(this.identity, this.options.url, status, reason);
        if (attempt >= attempts) throw new OcppConnectionFailed(this.identity, this.options.url, status, `${reason} (after ${attempt} attempts)`);
        await new Promise((r) => setTimeout(r, this.connectDelayMs(attempt)));
      }
    }
  }

  /** The reconnect back-off: the initial delay doubling up to the maximum, ±25 % at random. */
  private connectDelayMs(attempt: number): number {
    const initial = this.options.backoff?.initialDelay ?? 1000;
    const max = this.options.backoff?.maxDelay ?? 10_000;
    return Math.min(max, initial * 2 ** (attempt - 1)) * (0.75 + Math.random() * 0.5);
  }

  /**
   * Sends a CALL and resolves with the CSMS's answer and the OCPP message id it went under. A CALL
   * without an answer is sent again (same id, same text) until answered or `maxSends` is reached.
   */
  async call(action: string, params: Record<string, unknown>): Promise<{ ocppMessageId: string; result: Record<string, unknown> }> {
    let id: string | undefined;
    const onCall = (e: { outbound: boolean; payload: unknown[] }) => {
      if (e.outbound && id === undefined && e.payload[2] === action) id = String(e.payload[1]);
    };
    this.client.on('call', onCall);
    let failure: { code: string; description: string };
    try {
      const result = (await this.client.call(action, params)) as Record<string, unknown>;
      return { ocppMessageId: id!, result };
    } catch (e) {
      const err = e as Error & { rpcErrorCode?: string };
      if (id === undefined) throw e; // refused before it left (strict mode) or the link is closed
      failure = { code: err instanceof TimeoutError ? 'TimeoutError' : (err.rpcErrorCode ?? err.name), description: err.message };
    } finally {
      this.client.off('call', onCall);
    }
    const text = JSON.stringify([2, id, action, params]);
    for (let sent = 1; ; sent++) {
      if (!KEEP.has(failure.code)) throw new OcppCallFailed(this.identity, action, id, failure.code, failure.description);
      if (sent >= this.maxSends) throw new OcppCallFailed(this.identity, action, id, 'GaveUp', `no answer after ${sent} sends; last: ${failure.code} ${failure.description}`);
      if (failure.code === 'InternalError') await new Promise((r) => setTimeout(r, Math.min(10_000, 250 * 2 ** sent)));
      try {
        await this.whenOpen();
        return { ocppMessageId: id, result: await this.resend(id, text) };
      } catch (e) {
        failure = e instanceof CallError ? { code: e.code, description: e.message } : { code: (e as Error).name, description: (e as Error).message };
      }
    }
  }

  /** Closes the connection for good (code 1000). */
  async close(): Promise<void> {
    await this.client.close({ code: 1000, reason: 'simulation done', awaitPending: false }).catch(() => undefined);
  }

  private async whenOpen(): Promise<void> {
    if (this.client.state === RPCClient.OPEN) return;
    if (this.client.state === RPCClient.CLOSED || this.client.state === RPCClient.CLOSING) throw new CallError('Closed', 'the connection was closed');
    await Promise.race([
      once(this.client, 'open'),
      once(this.client, 'close').then(() => {
        throw new CallError('Closed', 'the connection was closed');
      }),
    ]);
  }

  /** The same CALL text again; resolves with its CALLRESULT payload, rejects with its CALLERROR, a time-out or a disconnect. */
  private resend(id: string, text: string): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const timeout = setTimeout(() => finish(() => reject(new CallError('TimeoutError', 'no answer in time'))), this.options.callTimeoutMs ?? 30_000);
      const onMessage = ({ message, outbound }: { message: string | Buffer; outbound: boolean }) => {
        if (outbound) return;
        let p: unknown;
        try {
          p = JSON.parse(String(message));
        } catch {
          return;
        }
        if (!Array.isArray(p) || p[1] !== id) return;
        if (p[0] === 3) finish(() => resolve((p as unknown[])[2] as Record<string, unknown>));
        else if (p[0] === 4) finish(() => reject(new CallError(String(p[2]), String(p[3]))));
      };
      const onDisconnect = () => finish(() => reject(new CallError('Disconnected', 'the connection broke')));
      const finish = (settle: () => void) => {
        clearTimeout(timeout);
        this.client.off('message', onMessage);
        this.client.off('disconnect', onDisconnect);
        settle();
      };
      this.client.on('message', onMessage);
      this.client.once('disconnect', onDisconnect);
      try {
        this.client.sendRaw(text);
      } catch (e) {
        finish(() => reject(new CallError('Disconnected', (e as Error).message)));
      }
    });
  }
}
