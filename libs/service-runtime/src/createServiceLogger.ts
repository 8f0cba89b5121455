import { hostname } from 'node:os';
import { pino, type DestinationStream, type Logger } from 'pino';

/**
 * Header and field paths that may carry a credential: never written, whatever is logged. The service
 * logs no request headers; this catches one that reaches a log line anyway.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers["x-api-key"]',
  'req.headers.cookie',
  'headers.authorization',
  'headers["x-api-key"]',
  'password',
  '*.password',
];

/**
 * The service's one pino logger: JSON lines on stdout, `level` as a word, ISO time, `service`,
 * `pid` and `hostname` on every line, credentials redacted. Written asynchronously (a slow reader of
 * stdout never blocks the service); pino flushes what is buffered when the process exits.
 */
export function createServiceLogger(service: string, level: string, destination: DestinationStream = pino.destination({ dest: 1, sync: false })): Logger {
  return pino(
    {
      level,
      base: { service, pid: process.pid, hostname: hostname() },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    },
    destination,
  );
}
