import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';
import { OcpiExceptionFilter } from '../ocpi/http/OcpiExceptionFilter';
import { errorResponse } from './errorResponse';

/**
 * The application's one exception filter (controllers, guards, pipes, Express middleware): answers
 * with `errorResponse`, logs 500s with their reference, method and path (no query, no headers: no key
 * or parameter reaches the log). When a streamed answer has begun, the connection is cut instead, so a
 * truncated export can never pass for a complete one.
 */
@Catch()
export class ApiExceptionFilter implements ExceptionFilter {
  private readonly log = new Logger('query');
  private readonly ocpi = new OcpiExceptionFilter();

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const res = http.getResponse<Response>();
    const req = http.getRequest<Request>();
    // OCPI peers read every answer of /ocpi/… in the OCPI envelope, even a body the parser refused before routing.
    if (String(req.path ?? '').startsWith('/ocpi/')) return this.ocpi.catch(exception, host);
    const r = errorResponse(exception);
    if (r.log) this.log.error(`${req.method} ${String(req.path ?? '').slice(0, 200)}: ${r.log}`);
    if (res.headersSent) {
      res.destroy();
      return;
    }
    for (const [name, value] of Object.entries(r.headers)) res.setHeader(name, value);
    res.status(r.status).json(r.body);
  }
}
