// OCPP-J edge: charging stations connect over OCPP 1.6J / 2.0.1; every frame the ledger needs is in
// Kafka before the station is answered (standalone) or the frame is forwarded to the CSMS (proxy).
// The one place that reads process.env. Says why when it will not start (exit 2); serves
// /health/live and /health/ready (@nestjs/terminus, EDGE_HEALTH_PORT) and /metrics (prom-client,
// METRICS_PORT) on ports of their own; logs JSON lines (pino); stops cleanly on SIGTERM within
// SHUTDOWN_GRACE_MS (exit 0; 1 when the grace period runs out).
import 'reflect-metadata';
import { hostname } from 'node:os';
import { Logger } from '@nestjs/common';
import { createServiceLogger, MetricsServer } from '@metrology-ledger/service-runtime';
import type { EdgeConfig } from './config/EdgeConfig';
import { EdgeConfigInvalid, loadEdgeConfig } from './config/loadEdgeConfig';
import { Readiness } from '@metrology-ledger/service-runtime';
import { startHealthServer, type HealthServer } from './health/startHealthServer';
import { createEdgeApp, type EdgeApp } from './infrastructure/createEdgeApp';
import { nestLoggerOf } from './logging/nestLoggerOf';
import { EdgeMetrics } from './metrics/EdgeMetrics';

const SERVICE = 'ocpp-edge';

async function main(): Promise<number> {
  let config: EdgeConfig;
  try {
    config = loadEdgeConfig(process.env, { hostname: hostname() });
  } catch (e) {
    if (!(e instanceof EdgeConfigInvalid)) throw e;
    createServiceLogger(SERVICE, 'info').fatal({ problems: e.problems }, `not starting: ${e.message}`);
    return 2;
  }
  const nestLogger = nestLoggerOf(createServiceLogger(SERVICE, config.log.level));
  Logger.overrideLogger(nestLogger);
  const log = new Logger(SERVICE);

  // What exists so far, for a stop that may come at any point of the start.
  let metricsServer: MetricsServer | undefined;
  let health: HealthServer | undefined;
  let edge: EdgeApp | undefined;
  let stopping = false;
  const closeServers = async () => {
    await health?.close().catch(() => undefined);
    await metricsServer?.close();
  };
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    const started = Date.now();
    log.log(`${signal}: stopping within ${config.shutdownGraceMs} ms (SHUTDOWN_GRACE_MS): no new connections; finishing in-flight calls, closing stations, flushing Kafka`);
    // The server and the publisher each give up after EDGE_SHUTDOWN_TIMEOUT_MS (checked to fit twice);
    // whatever else hangs, the process is gone within the grace period.
    setTimeout(() => {
      log.error(`shutdown did not finish within ${config.shutdownGraceMs} ms (SHUTDOWN_GRACE_MS); exiting`);
      process.exit(1);
    }, config.shutdownGraceMs).unref();
    (edge ? edge.close() : Promise.resolve())
      .then(closeServers)
      .then(
        () => {
          log.log({ msg: `stopped (${signal}) in ${Date.now() - started} ms`, shutdownMs: Date.now() - started });
          process.exit(0);
        },
        (e: Error) => {
          log.error(`shutdown failed: ${e.message}`);
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));

  const metrics = new EdgeMetrics();
  const readiness = new Readiness();
  try {
    metricsServer = await MetricsServer.start(metrics.registry, config.metrics);
  } catch (e) {
    log.error(`not starting: cannot serve metrics on ${config.metrics.host}:${config.metrics.port} (${(e as Error).message}). Set METRICS_PORT to a free port (0: any).`);
    return 2;
  }
  try {
    health = await startHealthServer(readiness, config.health, nestLogger);
  } catch (e) {
    log.error(`not starting: cannot serve health checks on ${config.health.host}:${config.health.port} (${(e as Error).message}). Set EDGE_HEALTH_PORT to a free port (0: any).`);
    await closeServers();
    return 2;
  }
  log.log({
    msg: `health on ${config.health.host}:${health.port} (/health/live, /health/ready); metrics on ${config.metrics.host}:${metricsServer.port} (/metrics)`,
    healthPort: health.port,
    metricsPort: metricsServer.port,
  });

  try {
    edge = await createEdgeApp(config, { logger: new Logger(SERVICE), metrics, readiness }, nestLogger);
  } catch (e) {
    log.error(`not starting: ${whyNotStarted(e as Error & { code?: string }, config)}`);
    await closeServers();
    return 2;
  }
  return 0;
}

function whyNotStarted(e: Error & { code?: string }, config: EdgeConfig): string {
  if (e.name === 'TransactionIdFileInvalid') return e.message;
  if (e.code === 'EADDRINUSE' || e.code === 'EACCES' || e.code === 'EADDRNOTAVAIL') {
    return `cannot listen on ${config.listen.host}:${config.listen.port} (${e.code}); check EDGE_HOST and EDGE_PORT`;
  }
  if (/kafka/i.test(e.name) || /kafka|broker/i.test(e.message)) {
    return `Kafka at ${config.kafka.brokers.join(',')} cannot be used (${e.message}); check KAFKA_BROKERS and KAFKA_TOPIC_OCPP_FRAMES`;
  }
  return e.stack ?? e.message;
}

main().then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (e) => {
    new Logger(SERVICE).fatal(`stopped: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
