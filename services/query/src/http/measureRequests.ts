import type { ServerResponse } from 'node:http';
import type { FastifyRequest } from 'fastify';

/** Told about every finished request (metrics). */
export interface RequestObserver {
  /** `route` is the route template, or `unmatched`; `aborted` when the client went away before the answer was complete. */
  requestDone(method: string, route: string, status: number | 'aborted', seconds: number): void;
}

/** The route template Fastify matched (`/emsp/sessions/:transactionId`), or `unmatched` (404). */
export function routeOf(request: FastifyRequest): string {
  const url = request.routeOptions.url;
  return typeof url === 'string' ? url : 'unmatched';
}

/**
 * Times each request from its arrival to the end of its answer (called from the application's
 * `onRequest` hook, after routing; the hook calls what it returns when the answer is done, see
 * `whenAnswered`), labelled by the route template Fastify matched (so `/emsp/sessions/:transactionId`,
 * never the ids in the path: bounded label values) and the status; a request no route took (404) is
 * `unmatched`, and an answer the client left before it was complete `aborted`. Reads the Node
 * response, so streamed answers written past Fastify's reply are measured too.
 */
export function measureRequests(observer: RequestObserver) {
  return (request: FastifyRequest): ((res: ServerResponse) => void) => {
    const started = process.hrtime.bigint();
    const route = routeOf(request);
    const method = request.raw.method ?? 'GET';
    return (res) => observer.requestDone(method, route, res.writableFinished ? res.statusCode : 'aborted', Number(process.hrtime.bigint() - started) / 1e9);
  };
}
