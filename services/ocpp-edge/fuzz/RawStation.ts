import { dirname } from 'node:path';

/** The few members of the `ws` client used here (the package has no types of its own; ocpp-rpc brings it). */
interface WsClient {
  readyState: number;
  send(data: string, cb?: (err?: Error) => void): void;
  close(code?: number): void;
  terminate(): void;
  on(event: 'message', fn: (data: Buffer) => void): void;
  on(event: 'close', fn: (code: number, reason: Buffer) => void): void;
  on(event: 'open', fn: () => void): void;
  on(event: 'error', fn: (e: Error) => void): void;
  on(event: 'unexpected-response', fn: (req: unknown, res: { statusCode?: number }) => void): void;
}
/** ocpp-rpc's own WebSocket library, resolved from ocpp-rpc (not a dependency of this package). */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const WebSocket = require(require.resolve('ws', { paths: [dirname(require.resolve('ocpp-rpc/package.json'))] })) as new (url: string, protocols: string[], options: { headers: Record<string, string> }) => WsClient;

/**
 * A station's WebSocket as raw text: it sends exactly the frames it is given, whatever they are
 * (ocpp-rpc's client would refuse to send most of them), and hands over each answer and the close.
 */
export class RawStation {
  private readonly inbox: string[] = [];
  private waiter?: () => void;
  closed?: { code: number; reason: string };

  private constructor(private readonly ws: WsClient) {
    ws.on('message', (d) => {
      this.inbox.push(d.toString('utf8'));
      this.waiter?.();
    });
    ws.on('close', (code, reason) => {
      this.closed = { code, reason: reason.toString('utf8') };
      this.waiter?.();
    });
  }

  static connect(url: string, identity: string, password: string, subprotocol: string): Promise<RawStation> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(`${url}/${encodeURIComponent(identity)}`, [subprotocol], { headers: { authorization: `Basic ${Buffer.from(`${identity}:${password}`).toString('base64')}` } });
      ws.on('open', () => resolve(new RawStation(ws)));
      ws.on('unexpected-response', (_req, res) => reject(new Error(`the edge refused the connection of ${identity}: HTTP ${res.statusCode}`)));
      ws.on('error', reject);
    });
  }

  send(text: string): Promise<void> {
    return new Promise((resolve, reject) => this.ws.send(text, (e) => (e ? reject(e) : resolve())));
  }

  /** The next frame from the edge, or undefined once the connection is closed with nothing left. */
  async next(timeoutMs: number): Promise<string | undefined> {
    const until = Date.now() + timeoutMs;
    while (this.inbox.length === 0 && !this.closed) {
      if (Date.now() > until) throw new Error(`no answer from the edge within ${timeoutMs} ms`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, Math.max(1, until - Date.now()));
        this.waiter = () => {
          clearTimeout(t);
          r();
        };
      });
    }
    return this.inbox.shift();
  }

  /** Waits for the edge to close the connection, and says how. */
  async whenClosed(timeoutMs: number): Promise<{ code: number; reason: string; unread: string[] }> {
    const until = Date.now() + timeoutMs;
    while (!this.closed) {
      if (Date.now() > until) throw new Error(`the edge did not close the connection within ${timeoutMs} ms`);
      await new Promise<void>((r) => {
        const t = setTimeout(r, 50);
        this.waiter = () => {
          clearTimeout(t);
          r();
        };
      });
    }
    return { ...this.closed, unread: this.inbox.splice(0) };
  }

  end(): void {
    this.ws.terminate();
  }
}
