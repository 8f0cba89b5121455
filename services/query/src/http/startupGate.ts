import type { FastifyReply } from 'fastify';
import { OCPI_STATUS, ocpiEnvelope } from '../ocpi/domain/OcpiStatus';

/** The body of every answer while the service is starting. */
export const STARTING = {
  statusCode: 503,
  error: 'Service Unavailable',
  message: 'starting: the read model is catching up with the ledger; try again shortly',
};

/**
 * Answers 503 (with `Retry-After`) to everything but `/health/*` until `ready()` (called from the
 * application's `onRequest` hook; true when it answered): the service listens at once, so the
 * orchestrator's liveness probe is answered during a long first catch-up, but no answer is ever
 * given from a read model that has not caught up with the ledger.
 */
export function startupGate(ready: () => boolean) {
  let open = false;
  return (path: string, reply: FastifyReply): boolean => {
    // Once caught up, the read model stays caught up: no call per request after that.
    if (open || (open = ready()) || path.startsWith('/health/')) return false;
    reply.header('Retry-After', '5');
    // OCPI peers read every answer under /ocpi/ in the OCPI envelope (3000: server error, try again).
    void reply.code(503).send(path.startsWith('/ocpi/') ? ocpiEnvelope(undefined, OCPI_STATUS.serverError, STARTING.message) : STARTING);
    return true;
  };
}
