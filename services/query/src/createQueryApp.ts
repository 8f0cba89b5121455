import 'reflect-metadata';
import { NotFoundException, type DynamicModule, type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import type { Ledger } from '@metrology-ledger/ledger';
import type { Logger as Pino } from 'pino';
import { Authenticator } from './auth/Authenticator';
import type { CredentialStore } from './auth/Credential';
import { DOCS_PATH, isDocsPath } from './auth/docsAuthentication';
import { DEFAULT_FAILED_AUTH_LIMITS, FailedAuthThrottle, type FailedAuthLimits } from './auth/FailedAuthThrottle';
import { ApiExceptionFilter } from './http/ApiExceptionFilter';
import { BODY_LIMIT_BYTES, BODY_MAX_DEPTH } from './http/bodyLimits';
import { jsonBodyParser } from './http/bodyParserErrors';
import { QueryFastifyAdapter } from './http/QueryFastifyAdapter';
import { QueryValidationPipe } from './http/QueryValidationPipe';
import { measureRequests, type RequestObserver } from './http/measureRequests';
import { requestPath } from './http/requestPath';
import { securityHeaders } from './http/securityHeaders';
import { sendJson } from './http/sendJson';
import { startupGate } from './http/startupGate';
import { whenAnswered } from './http/whenAnswered';
import { nestLoggerOf } from './logging/nestLoggerOf';
import { requestLogger } from './logging/requestLogger';
import { QueryModule } from './QueryModule';
import { ReceiptCapability } from './receipts/ReceiptCapability';
import type { SessionStore } from './readmodel/SessionStore';


/** The longest path parameter routed (percent-encoded as sent): ids beyond their rules are answered 400 by the rules, not by the router. */
const MAX_PARAM_LENGTH = 4096;
/** How long a client may take to send a whole request (headers and body). */
const REQUEST_TIMEOUT_MS = 30_000;

export interface QueryAppOptions {
  /** Failed authentications per client address before 429 (default 20 a minute). */
  failedAuth?: Partial<FailedAuthLimits>;
  /** Fastify `trustProxy`: set when a reverse proxy sends X-Forwarded-For (QUERY_TRUST_PROXY). */
  trustProxy?: boolean | number | string;
  /** Nest's console log levels, when no `pino` logger is given (default: errors and warnings). */
  logger?: LogLevel[] | false;
  /** Modules mounted beside the API (main.ts: the health endpoints). */
  modules?: DynamicModule[];
  /** Until it returns true, everything but `/health/*` is answered 503 (main.ts: the read model's first catch-up). */
  ready?: () => boolean;
  /** Told about every finished request (main.ts: the metrics). */
  requests?: RequestObserver;
  /** The service's pino logger (main.ts): a JSON line per request, and Nest's own lines through it. */
  pino?: Pino;
  /** Signs and reads receipt links (main.ts: with QUERY_RECEIPT_KEY; shared with OCPI, whose CDRs carry them); default: a key of this process. */
  receipts?: ReceiptCapability;
}

/**
 * The HTTP application (NestJS on Fastify). Routing is case-sensitive and strict (`/DOCS` is not
 * `/docs`, `/x/` is not `/x`), and the documentation's authentication matches every spelling of
 * `/docs`, so route matching and authentication cannot disagree. One `onRequest` hook, after
 * routing, does in order: request metrics and logs (when given), security headers, the start gate
 * (when given), documentation authentication. Then the JSON body parser (64 kB, nesting refused,
 * errors translated by the filter), Nest's guard (roles, throttled authentication; `/verify`,
 * `/receipts/…` and `/health/*` are public), validation pipe (unknown parameters refused) and one
 * exception filter for every error.
 */
export async function createQueryApp(deps: { ledger: Ledger; sessions: SessionStore; credentials: CredentialStore; options?: QueryAppOptions }): Promise<INestApplication> {
  const options = deps.options ?? {};
  const measure = options.requests ? measureRequests(options.requests) : undefined;
  const log = options.pino ? requestLogger(options.pino) : undefined;
  const headers = securityHeaders();
  const gate = options.ready ? startupGate(options.ready) : undefined;
  /** Metrics and the request log, told when the answer is done. */
  const observe = (request: FastifyRequest, reply: FastifyReply, path: string) => {
    const measured = measure?.(request);
    const logged = log?.(request, path);
    if (measured || logged)
      whenAnswered(reply.raw, (res) => {
        measured?.(res);
        logged?.(res);
      });
  };
  const adapter = new QueryFastifyAdapter({
    bodyLimit: BODY_LIMIT_BYTES,
    // Node's own server defaults, which Fastify would switch off or raise: a request (headers and a body
    // of at most 64 kB) must have arrived within 30 s, so a client trickling one cannot hold a
    // connection; an idle kept-alive connection is closed after 5 s.
    requestTimeout: REQUEST_TIMEOUT_MS,
    keepAliveTimeout: 5_000,
    // A path the router cannot read (bad percent-encoding, a parameter longer than the limit) is
    // answered here, before any hook: with the security headers, measured and logged, in our error
    // shape, never quoting the path.
    frameworkErrors: (error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
      observe(request, reply, '(unreadable path)');
      headers(false, reply.raw);
      const tooLong = error.code === 'FST_ERR_MAX_PARAM_LENGTH';
      sendJson(
        reply,
        tooLong ? 414 : 400,
        tooLong
          ? { statusCode: 414, error: 'URI Too Long', message: `a path parameter is longer than ${MAX_PARAM_LENGTH} characters` }
          : { statusCode: 400, error: 'Bad Request', message: 'the request path could not be read (percent-encoding that is not UTF-8)' },
      );
    },
    ...(options.trustProxy !== undefined ? { trustProxy: options.trustProxy } : {}),
    routerOptions: { caseSensitive: true, ignoreTrailingSlash: false, ignoreDuplicateSlashes: false, maxParamLength: MAX_PARAM_LENGTH },
  });
  const fastify = adapter.getInstance();
  const authenticator = new Authenticator(deps.credentials, new FailedAuthThrottle({ ...DEFAULT_FAILED_AUTH_LIMITS, ...options.failedAuth }));

  // Everything done before the handler, in one hook registered before any route or plugin (so it
  // applies to all of them, Swagger's included), with the path computed once: the path the router
  // routed, also for an absolute-form target (`GET http://host/docs-json`).
  fastify.decorateRequest('principal', undefined);
  fastify.addHook('onRequest', (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void) => {
    const url = request.url;
    const path = requestPath(url) ?? '';
    observe(request, reply, path);
    // The route's template too: whatever the spelling of the target, a documentation route is authenticated.
    const docs = isDocsPath(path) || isDocsPath(request.routeOptions.url ?? '');
    headers(docs, reply.raw);
    if (gate?.(path, reply)) return;
    if (docs) {
      try {
        authenticator.authenticate(request);
      } catch (error) {
        return done(error as Error);
      }
      // Fastify's router decodes percent-encoded letters; the documentation answers only its own spelling.
      if (path.includes('%')) return done(new NotFoundException(`Cannot ${request.method} ${url}`));
    }
    // Strict routing: the router takes `/emsp/sessions/` for `/emsp/sessions/:transactionId` with an empty id; no named parameter may be empty.
    const params = request.params as Record<string, string>;
    for (const name in params) if (params[name] === '' && name !== '*') return done(new NotFoundException(`Cannot ${request.method} ${url}`));
    done();
  });
  // Only JSON bodies are parsed. Any other body is read up to the same limit (larger: 413) and dropped:
  // the handler sees none.
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('application/json', { parseAs: 'buffer', bodyLimit: BODY_LIMIT_BYTES }, jsonBodyParser(BODY_MAX_DEPTH));
  fastify.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: BODY_LIMIT_BYTES }, (_request: FastifyRequest, _body: Buffer, done: (error: Error | null, body?: unknown) => void) => done(null, undefined));

  const app = await NestFactory.create<NestFastifyApplication>(QueryModule.create({ ledger: deps.ledger, sessions: deps.sessions, authenticator, receipts: options.receipts ?? new ReceiptCapability(), imports: options.modules }), adapter, {
    logger: options.pino ? nestLoggerOf(options.pino) : (options.logger ?? ['error', 'warn']),
    bodyParser: false,
    abortOnError: false,
  });
  app.useGlobalFilters(new ApiExceptionFilter());
  app.useGlobalPipes(new QueryValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle('Metrology ledger query API').setDescription('Auditors, eMSPs and operators read the ledger.').setVersion('0.1.0').addBearerAuth().build(),
  );
  SwaggerModule.setup(DOCS_PATH, app, doc);
  return app;
}
