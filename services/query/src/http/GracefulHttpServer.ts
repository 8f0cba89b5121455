import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** How draining went: requests still running at the end of the grace period were cut. */
export interface DrainReport {
  /** Requests cut at the deadline (their connections closed). */
  cut: number;
}

/**
 * Follows the requests of an HTTP server so that it can stop gracefully: `drain` stops listening at
 * once, lets the requests under way finish (their answers, if not begun, say `Connection: close`;
 * keep-alive connections are closed as soon as they are idle) and, at the end of the grace period,
 * closes whatever connection is still open. Attach it before the server takes requests.
 */
export class GracefulHttpServer {
  private readonly inFlight = new Set<ServerResponse>();
  private draining = false;

  constructor(private readonly server: Server) {
    server.on('request', (_req: IncomingMessage, res: ServerResponse) => {
      this.inFlight.add(res);
      if (this.draining && !res.headersSent) res.setHeader('Connection', 'close');
      res.once('close', () => {
        this.inFlight.delete(res);
        if (this.draining) server.closeIdleConnections();
      });
    });
  }

  /** Requests whose answer is not complete yet. */
  get requestsInFlight(): number {
    return this.inFlight.size;
  }

  /** Resolves once no connection is left: every request finished, or cut at `graceMs`. */
  drain(graceMs: number): Promise<DrainReport> {
    this.draining = true;
    for (const res of this.inFlight) if (!res.headersSent) res.setHeader('Connection', 'close');
    return new Promise((resolve) => {
      let cut = 0;
      const deadline = setTimeout(() => {
        cut = this.inFlight.size;
        this.server.closeAllConnections();
      }, graceMs);
      this.server.close(() => {
        clearTimeout(deadline);
        resolve({ cut });
      });
      this.server.closeIdleConnections();
    });
  }
}
