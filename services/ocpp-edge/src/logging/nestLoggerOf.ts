import type { LoggerService } from '@nestjs/common';
import { Logger, PinoLogger } from 'nestjs-pino';
import type { Logger as Pino } from 'pino';

/**
 * Nest's logger on top of the edge's pino logger (nestjs-pino), as in services/ingest: what Nest and
 * the edge's `new Logger(context)` log becomes one JSON line with `context`; an object given as the
 * message (`{ msg, identity, ocppMessageId, action, … }`) becomes fields of the line.
 */
export function nestLoggerOf(root: Pino): LoggerService {
  const params = { pinoHttp: { logger: root } };
  return new Logger(new PinoLogger(params), params);
}
