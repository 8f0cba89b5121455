import 'reflect-metadata';
import { ValidationPipe, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Ledger } from '@metrology-ledger/ledger';
import { apiKeyOf, UNAUTHORIZED, type CredentialStore } from './auth/Credential';
import { QueryModule } from './QueryModule';
import type { SessionStore } from './readmodel/SessionStore';

/** The HTTP application: validation on every parameter, OpenAPI document at /docs-json, Swagger UI at /docs. */
export async function createQueryApp(deps: { ledger: Ledger; sessions: SessionStore; credentials: CredentialStore }): Promise<INestApplication> {
  const app = await NestFactory.create(QueryModule.create(deps), { logger: ['error', 'warn'] });
  app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
  // The OpenAPI document and Swagger UI are served outside Nest's controllers: authenticate them too.
  app.use((req: { url: string; headers: Record<string, string | undefined> }, res: { status(n: number): { json(b: unknown): void } }, next: () => void) => {
    if (!req.url.startsWith('/docs') || deps.credentials.authenticate(apiKeyOf(req.headers))) return next();
    res.status(401).json(UNAUTHORIZED);
  });
  const doc = SwaggerModule.createDocument(
    app,
    new DocumentBuilder().setTitle('Metrology ledger query API').setDescription('Auditors, eMSPs and operators read the ledger.').setVersion('0.1.0').addBearerAuth().build(),
  );
  SwaggerModule.setup('docs', app, doc);
  return app;
}
