import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { BODY_LIMIT_TEXT, BODY_MAX_DEPTH } from './bodyLimits';
import { OcpiExceptionFilter } from '../ocpi/http/OcpiExceptionFilter';
import { bodyParserError } from './bodyParserErrors';
import { errorResponse } from './errorResponse';
import { requestPath } from './requestPath';
import { sendJson } from './sendJson';

/**
 * The application's one exception filter (controllers, guards, pipes, the body parser and the
 * request hook): answers with `errorResponse`, logs 500s with their reference, method and path (no
 * query, no headers: no key or parameter reaches the log). When a streamed answer has begun, the
 * connection is cut instead, so a truncated export can never pass for a complete one.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly log = new Logger('query');
  private readonly ocpi = new OcpiExceptionFilter();

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const req = http.getRequest<FastifyRequest>();
    const error = bodyParserError(exception, BODY_LIMIT_TEXT, BODY_MAX_DEPTH) ?? exception;
    const path = requestPath(req.url) ?? '';
    // OCPI peers read every answer of /ocpi/… in the OCPI envelope, even a body the parser refused before routing.
    if (path.startsWith('/ocpi/')) return this.ocpi.catch(error, host);
    const r = errorResponse(error);
    if (r.log) this.log.error(`${req.method} ${path.slice(0, 200)}: ${r.log}`);
    sendJson(reply, r.status, r.body, r.headers);
  }
}
