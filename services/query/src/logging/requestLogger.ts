import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { pinoHttp, type HttpLogger } from 'pino-http';

type Request = IncomingMessage & { id?: unknown; route?: { path?: unknown } };

/** The path of a request without its query string (parameters are not logged; the 500 log does the same). */
function pathOf(url: string | undefined): string {
  return (url ?? '').split('?')[0].slice(0, 300);
}

/**
 * Request logs (pino-http, on the service's pino logger; Nest's own lines go through nestjs-pino):
 * one JSON line per finished request with method, path, route template, status and time — never a
 * header, so never a key (`Authorization` and `X-Api-Key` are also redacted by the logger, should one
 * reach a line), and no query string. Probes (`/health/*`) are not logged. Mounted first, so that
 * answers given before routing (413, 503 while starting) are logged too.
 */
export function requestLogger(root: Logger): HttpLogger {
  return pinoHttp({
    logger: root,
    autoLogging: { ignore: (req) => pathOf(req.url).startsWith('/health/') },
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
    customSuccessMessage: (req, res) => `${req.method} ${pathOf(req.url)} ${res.statusCode}`,
    customErrorMessage: (req, res) => `${req.method} ${pathOf(req.url)} ${res.statusCode}`,
    // Evaluated again when the answer is complete, once Express has matched the route.
    customProps: (req: Request) => (typeof req.route?.path === 'string' ? { route: req.route.path } : {}),
    serializers: {
      req: (req: { id?: unknown; method?: string; url?: string }) => ({ id: req.id, method: req.method, path: pathOf(req.url) }),
      res: (res: ServerResponse) => ({ statusCode: res.statusCode }),
    },
  });
}
