import { randomUUID } from 'node:crypto';

const ID = /^[\x21-\x7e]{1,100}$/;

/**
 * OCPI 2.2.1 (transport_and_format): every response carries the request's X-Request-ID and
 * X-Correlation-ID; we make one up when a request comes without (or with one we would not echo).
 */
export function ocpiRequestIds() {
  return (req: { headers: Record<string, string | string[] | undefined> }, res: { setHeader(n: string, v: string): void }, next: () => void): void => {
    for (const name of ['x-request-id', 'x-correlation-id']) {
      const given = req.headers[name];
      res.setHeader(name === 'x-request-id' ? 'X-Request-ID' : 'X-Correlation-ID', typeof given === 'string' && ID.test(given) ? given : randomUUID());
    }
    next();
  };
}
