import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext, LoggerService, LogLevel } from '@nestjs/common';
import type { EdgeConfig } from '../config/EdgeConfig';
import { OcppEdgeModule, type EdgeOverrides } from './OcppEdgeModule';
import { OcppEdgeServer } from './OcppEdgeServer';

/** A running edge: the Nest application context and its server (address, links, stats). */
export interface EdgeApp {
  app: INestApplicationContext;
  server: OcppEdgeServer;
  /** Stops accepting, finishes in-flight calls, closes every connection, flushes Kafka. */
  close(): Promise<void>;
}

/** Starts the edge (Kafka producer connected, listening) for `config`; Nest logs through `nestLogger`. */
export async function createEdgeApp(config: EdgeConfig, overrides: EdgeOverrides = {}, nestLogger: LoggerService | LogLevel[] | false = ['error', 'warn']): Promise<EdgeApp> {
  const app = await NestFactory.createApplicationContext(OcppEdgeModule.forConfig(config, overrides), { logger: nestLogger, abortOnError: false });
  const server = app.get(OcppEdgeServer);
  return { app, server, close: () => app.close() };
}
