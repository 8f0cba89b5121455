import 'reflect-metadata';
import express from 'express';
import { ValidationPipe, type DynamicModule, type INestApplication, type LogLevel } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter, type NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Ledger } from '@metrology-ledger/ledger';
import type { Logger as Pino } from 'pino';
import { Authenticator } from './auth/Authenticator';
import type { CredentialStore } from './auth/Credential';
import { DOCS_PATH, docsAuthentication } from './auth/docsAuthentication';
import { DEFAULT_FAILED_AUTH_LIMITS, FailedAuthThrottle, type FailedAuthLimits } from './auth/FailedAuthThrottle';
import { ApiExceptionFilter } from './http/ApiExceptionFilter';
import { bodyParserErrors, refuseDeepNesting } from './http/bodyParserErrors';
import { measureRequests, type RequestObserver } from './http/measureRequests';
import { securityHeaders } from './http/securityHeaders';
import { startupGate } from './http/startupGate';
import { nestLoggerOf } from './logging/nestLoggerOf';
import { requestLogger } from './logging/requestLogger';
import { QueryModule } from './QueryModule';
import { ReceiptCapability } from './receipts/ReceiptCapability';
import type { SessionStore } from './readmodel/SessionStore';

/** The JSON body limit: the largest body this API takes (a key registration) is far below it. */
export const BODY_LIMIT = { bytes: '64kb', text: '64 kB' };

/** How deeply a request body may nest objects and arrays; ours nest two or three levels. */
export const BODY_MAX_DEPTH = 32;

export interface QueryAppOptions {
  /** Failed authentications per client address before 429 (default 20 a minute). */
  failedAuth?: Partial<FailedAuthLimits>;
  /** Express `trust proxy`: set when a reverse proxy sends X-Forwarded-For (QUERY_TRUST_PROXY). */
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
 * The HTTP application. Routing is case-sensitive and strict (`/DOCS` is not `/docs`, `/x/` is not
 * `/x`), and the documentation middleware authenticates every spelling of `/docs`, so route matching
 * and authentication cannot disagree. In order: request metrics and logs (when given), security
 * headers, the start gate (when given), documentation authentication, the JSON body parser (64 kB,
 * errors translated), then Nest's guard (roles, throttled authentication; `/verify` and `/health/*`
 * are public), validation pipe (unknown parameters refused) and one exception filter for every error.
 */
export async function createQueryApp(deps: { ledger: Ledger; sessions: SessionStore; credentials: CredentialStore; options?: QueryAppOptions }): Promise<INestApplication> {
  const options = deps.options ?? {};
  // Our own Express instance, configured before anything creates its router (which takes the two
  // routing settings when it is made), then handed to Nest's adapter.
  const server = express();
  server.disable('x-powered-by');
  // Every answer says `Cache-Control: no-store`, so no client revalidates: no SHA-1 of each body for an ETag.
  server.set('etag', false);
  server.set('case sensitive routing', true);
  server.set('strict routing', true);
  const adapter = new ExpressAdapter(server);
  if (options.trustProxy !== undefined) server.set('trust proxy', options.trustProxy);

  const authenticator = new Authenticator(deps.credentials, new FailedAuthThrottle({ ...DEFAULT_FAILED_AUTH_LIMITS, ...options.failedAuth }));
  const app = await NestFactory.create<NestExpressApplication>(QueryModule.create({ ledger: deps.ledger, sessions: deps.sessions, authenticator, receipts: options.receipts ?? new ReceiptCapability(), imports: options.modules }), adapter, {
    logger: options.pino ? nestLoggerOf(options.pino) : (options.logger ?? ['error', 'warn']),
    bodyParser: false,
    abortOnError: false,
  });
  if (options.requests) app.use(measureRequests(options.requests));
  if (options.pino) app.use(requestLogger(options.pino));
  app.use(securityHeaders());
  if (options.ready) app.use(startupGate(options.ready));
  app.use(docsAuthentication(authenticator));
  app.useBodyParser('json', { limit: BODY_LIMIT.bytes, verify: refuseDeepNesting(BODY_MAX_DEPTH) });
  app.use(bodyParserErrors(BODY_LIMIT.text, BODY_MAX_DEPTH));
  app.useGlobalFilters(new ApiExceptionFilter());
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle('Metrology ledger query API').setDescription('Auditors, eMSPs and operators read the ledger.').setVersion('0.1.0').addBearerAuth().build(),
  );
  SwaggerModule.setup(DOCS_PATH, app, doc);
  return app;
}
