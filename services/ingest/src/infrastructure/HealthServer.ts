import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readiness } from './Readiness';

export interface HealthServerOptions {
  host: string;
  /** 0: any free port (see `port` once started). */
  port: number;
}

/**
 * Liveness and readiness over plain HTTP (node:http), for the orchestrator's probes:
 * `GET /health/live` is 200 while the process runs; `GET /health/ready` is 200 `{"status":"ready"}`
 * or 503 `{"status":"not ready","reason":…}`. Anything else is 404.
 */
export class HealthServer {
  private constructor(private readonly server: Server) {}

  static start(readiness: Readiness, options: HealthServerOptions): Promise<HealthServer> {
    const server = createServer((req, res) => {
      const path = (req.url ?? '').split('?')[0];
      const send = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        res.end(req.method === 'HEAD' ? undefined : JSON.stringify(body));
      };
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(405, { status: 'method not allowed' });
      if (path === '/health/live') return send(200, { status: 'live' });
      if (path === '/health/ready') {
        const state = readiness.state;
        return state.ready ? send(200, { status: 'ready' }) : send(503, { status: 'not ready', reason: state.reason });
      }
      send(404, { status: 'not found', paths: ['/health/live', '/health/ready'] });
    });
    return new Promise((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve(new HealthServer(server));
      });
    });
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
