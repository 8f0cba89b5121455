import { RPCClient } from 'ocpp-rpc';

export interface TestStationOptions {
  url: string;
  identity: string;
  protocols?: string[];
  password?: string;
  /** PEM texts for TLS: the CA to trust, and the station's client certificate and key (profile 3). */
  ca?: string;
  cert?: string;
  key?: string;
  /** Validate outbound calls (default false, so tests can send frames that break the schema). */
  strictMode?: boolean;
}

/**
 * An ocpp-rpc client as a charging station, keeping every frame it sends and receives as raw text
 * (ocpp-rpc's 'message' event), so tests can compare what arrived elsewhere byte for byte.
 */
export class TestStation {
  readonly client: RPCClient;
  readonly sent: string[] = [];
  readonly received: string[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  constructor(opts: TestStationOptions) {
    this.client = new RPCClient({
      endpoint: opts.url,
      identity: opts.identity,
      protocols: opts.protocols ?? ['ocpp1.6'],
      ...(opts.password !== undefined ? { password: opts.password } : {}),
      reconnect: false,
      strictMode: opts.strictMode ?? false,
      callTimeoutMs: 20_000,
      wsOpts: { ...(opts.ca ? { ca: opts.ca } : {}), ...(opts.cert ? { cert: opts.cert, key: opts.key } : {}), minVersion: 'TLSv1.2' },
    } as never);
    this.client.on('message', ({ message, outbound }: { message: string | Buffer; outbound: boolean }) => (outbound ? this.sent : this.received).push(String(message)));
    this.client.on('badMessage', () => undefined);
    this.closed = new Promise((resolve) => this.client.once('close', (e: { code: number; reason: string }) => resolve({ code: e.code, reason: String(e.reason ?? '') })));
  }

  connect(): Promise<unknown> {
    return this.client.connect();
  }

  call<T = Record<string, unknown>>(action: string, params: unknown): Promise<T> {
    return this.client.call(action, params) as Promise<T>;
  }

  /** The raw text this station sent for the CALL with `action` (the last one). */
  sentCall(action: string): string {
    const frame = [...this.sent].reverse().find((t) => JSON.parse(t)[2] === action);
    if (!frame) throw new Error(`the station sent no ${action}`);
    return frame;
  }

  /** Sends `text` as one WebSocket message and resolves with the next frame received. */
  sendRawAndWait(text: string, timeoutMs = 10_000): Promise<string> {
    const before = this.received.length;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer to ${text.slice(0, 60)} within ${timeoutMs} ms`)), timeoutMs);
      const onMessage = ({ outbound }: { outbound: boolean }) => {
        if (outbound || this.received.length <= before) return;
        clearTimeout(timer);
        this.client.off('message', onMessage);
        resolve(this.received[before]);
      };
      this.client.on('message', onMessage);
      this.client.sendRaw(text);
    });
  }

  close(): Promise<unknown> {
    return this.client.close({ code: 1000 }).catch(() => undefined);
  }
}
