import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { requestPath } from '../../http/requestPath';
import { sendJson } from '../../http/sendJson';
import { OCPI_STATUS, OcpiError, ocpiEnvelope } from '../domain/OcpiStatus';

/**
 * Every error of an OCPI endpoint in the OCPI envelope: OcpiError as it says; a Nest HTTP error with
 * its HTTP status (400 → 2001, other 4xx → 2000); anything else 500 with status 3000 and a reference
 * (the detail is logged with it: method and path only, no header, no token).
 */
@Catch()
export class OcpiExceptionFilter implements ExceptionFilter {
  private readonly log = new Logger('ocpi');

  catch(exception: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<FastifyReply>();
    const req = host.switchToHttp().getRequest<FastifyRequest>();
    if (exception instanceof OcpiError) {
      sendJson(res, exception.httpStatus, ocpiEnvelope(undefined, exception.statusCode, exception.message));
      return;
    }
    if (exception instanceof HttpException && exception.getStatus() < 500) {
      const status = exception.getStatus();
      const body = exception.getResponse() as { message?: unknown } | string;
      const message = typeof body === 'string' ? body : Array.isArray(body.message) ? body.message.join('; ') : String(body.message ?? exception.message);
      sendJson(res, status, ocpiEnvelope(undefined, status === 400 ? OCPI_STATUS.invalidParameters : OCPI_STATUS.clientError, message));
      return;
    }
    const reference = randomUUID();
    this.log.error(`${req.method} ${(requestPath(req.url) ?? '').slice(0, 200)}: reference ${reference}: ${(exception as Error)?.name ?? 'Error'}: ${(exception as Error)?.message ?? String(exception)}`);
    sendJson(res, 500, ocpiEnvelope(undefined, OCPI_STATUS.serverError, `internal error; reference ${reference}`));
  }
}
