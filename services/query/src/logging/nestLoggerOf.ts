import type { LoggerService } from '@nestjs/common';
import { Logger, PinoLogger } from 'nestjs-pino';
import type { Logger as Pino } from 'pino';

/**
 * Nest's logger on top of the service's pino logger (nestjs-pino): what Nest and the service's
 * `new Logger(context)` log becomes one JSON line with `context`; an object given as the message
 * (`{ msg, stationId, … }`) becomes fields of the line.
 */
export function nestLoggerOf(root: Pino): LoggerService {
  const params = { pinoHttp: { logger: root } };
  return new Logger(new PinoLogger(params), params);
}
