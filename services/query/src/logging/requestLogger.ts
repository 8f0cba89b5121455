import type { ServerResponse } from 'node:http';
import type { FastifyRequest } from 'fastify';
import type { Logger } from 'pino';

/** Request ids wrap here (as pino-http's did). */
const MAX_REQUEST_ID = 2_147_483_647;

/**
 * Request logs on the service's pino logger (Nest's own lines go through nestjs-pino): one JSON line
 * per finished request — `msg` `GET /emsp/sessions 200`, `req` `{id, method, path}`, `route` (the
 * template Fastify matched, when one did), `res` `{statusCode}`, `responseTime` (ms), and at 500 and
 * above `level` `error` with an `err` naming the status — never a header, so never a key
 * (`Authorization` and `X-Api-Key` are also redacted by the logger, should one reach a line), and no
 * query string. Probes (`/health/*`) are not logged. Called first in the application's `onRequest`
 * hook, so that answers given before the handler (413, 503 while starting) are logged too; the hook
 * calls what it returns when the answer is complete or the client has gone (`whenAnswered`): one
 * call to the logger per request.
 */
export function requestLogger(root: Logger) {
  let lastId = 0;
  return (request: FastifyRequest, path: string): ((res: ServerResponse) => void) | undefined => {
    if (path.startsWith('/health/')) return undefined;
    const id = (lastId = (lastId + 1) & MAX_REQUEST_ID);
    const logged = path.slice(0, 300);
    const method = request.raw.method;
    const route = request.routeOptions.url;
    const started = Date.now();
    return (res) => {
      const line: Record<string, unknown> = { req: { id, method, path: logged } };
      if (typeof route === 'string') line.route = route;
      line.res = { statusCode: res.statusCode };
      line.responseTime = Date.now() - started;
      const msg = `${method} ${logged} ${res.statusCode}`;
      if (res.statusCode >= 500) root.error({ ...line, err: new Error(`failed with status code ${res.statusCode}`) }, msg);
      else root.info(line, msg);
    };
  };
}
