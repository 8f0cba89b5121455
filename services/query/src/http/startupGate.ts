import { OCPI_STATUS, ocpiEnvelope } from '../ocpi/domain/OcpiStatus';

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
    const path = req.path ?? req.url.split('?')[0];
    if (ready() || path.startsWith('/health/')) return next();
    res.setHeader('Retry-After', '5');
    // OCPI peers read every answer under /ocpi/ in the OCPI envelope (3000: server error, try again).
    res.status(503).json(path.startsWith('/ocpi/') ? ocpiEnvelope(undefined, OCPI_STATUS.serverError, STARTING.message) : STARTING);
  };
}
