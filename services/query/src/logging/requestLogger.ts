import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';

type Request = IncomingMessage & { id?: unknown; route?: { path?: unknown } };

/** Request ids wrap here (as pino-http's did). */
const MAX_REQUEST_ID = 2_147_483_647;

/** The path of a request without its query string (parameters are not logged; the 500 log does the same). */
function pathOf(url: string | undefined): string {
  return (url ?? '').split('?')[0].slice(0, 300);
}

/**
 * Request logs on the service's pino logger (Nest's own lines go through nestjs-pino): one JSON line
 * per finished request — `msg` `GET /emsp/sessions 200`, `req` `{id, method, path}`, `route` (the
 * template, once Express has matched one), `res` `{statusCode}`, `responseTime` (ms), and at 500 and
 * above `level` `error` with an `err` naming the status — never a header, so never a key
 * (`Authorization` and `X-Api-Key` are also redacted by the logger, should one reach a line), and no
 * query string. Probes (`/health/*`) are not logged. Mounted first, so that answers given before
 * routing (413, 503 while starting) are logged too. The line pino-http wrote, without its two child
 * loggers per request: one call to the logger when the answer is complete (or the client has gone).
 */
export function requestLogger(root: Logger) {
  let lastId = 0;
  return (req: Request, res: ServerResponse, next: () => void): void => {
    if (pathOf(req.url).startsWith('/health/')) return next();
    req.id ??= lastId = (lastId + 1) & MAX_REQUEST_ID;
    const started = Date.now();
    const done = () => {
      res.removeListener('close', done);
      res.removeListener('finish', done);
      const line: Record<string, unknown> = { req: { id: req.id, method: req.method, path: pathOf(req.url) } };
      if (typeof req.route?.path === 'string') line.route = req.route.path;
      line.res = { statusCode: res.statusCode };
      line.responseTime = Date.now() - started;
      const msg = `${req.method} ${pathOf(req.url)} ${res.statusCode}`;
      if (res.statusCode >= 500) root.error({ ...line, err: new Error(`failed with status code ${res.statusCode}`) }, msg);
      else root.info(line, msg);
    };
    res.on('close', done);
    res.on('finish', done);
    next();
  };
}
