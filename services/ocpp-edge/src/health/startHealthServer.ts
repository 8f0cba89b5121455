import type { AddressInfo } from 'node:net';
import type { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Readiness } from '@metrology-ledger/service-runtime';
import { EdgeHealthModule } from './EdgeHealthModule';

/** A running health server: its port (EDGE_HEALTH_PORT 0 takes any) and how to stop it. */
export interface HealthServer {
  app: INestApplication;
  port: number;
  close(): Promise<void>;
}

/** Serves `/health/live` and `/health/ready` (terminus) on `host:port`; rejects when it cannot listen. */
export async function startHealthServer(readiness: Readiness, listen: { host: string; port: number }, logger: LoggerService | false = false): Promise<HealthServer> {
  const app = await NestFactory.create<NestExpressApplication>(EdgeHealthModule.forReadiness(readiness), { logger, abortOnError: false });
  app.disable('x-powered-by');
  try {
    await app.listen(listen.port, listen.host);
  } catch (e) {
    await app.close().catch(() => undefined);
    throw e;
  }
  const port = (app.getHttpServer().address() as AddressInfo).port;
  return { app, port, close: () => app.close() };
}
