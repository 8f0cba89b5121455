/** The body of every answer while the service is starting. */
export const STARTING = {
  statusCode: 503,
  error: 'Service Unavailable',
  message: 'starting: the read model is catching up with the ledger; try again shortly',
};

/**
 * Express middleware answering 503 (with `Retry-After`) to everything but `/health/*` until `ready()`:
 * the service listens at once, so the orchestrator's liveness probe is answered during a long first
 * catch-up, but no answer is ever given from a read model that has not caught up with the ledger.
 */
export function startupGate(ready: () => boolean) {
  return (
    req: { path?: string; url: string },
    res: { status(code: number): { json(body: unknown): unknown }; setHeader(name: string, value: string): unknown },
    next: () => void,
  ): void => {
    if (ready() || (req.path ?? req.url.split('?')[0]).startsWith('/health/')) return next();
    res.setHeader('Retry-After', '5');
    res.status(503).json(STARTING);
  };
}
