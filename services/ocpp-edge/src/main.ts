// OCPP-J edge: charging stations connect over OCPP 1.6J / 2.0.1; every frame the ledger needs is in
// Kafka before the station is answered (standalone) or the frame is forwarded to the CSMS (proxy).
// The one place that reads process.env. Says why when it will not start; stops cleanly on SIGTERM.
import 'reflect-metadata';
import { hostname } from 'node:os';
import { Logger } from '@nestjs/common';
import type { EdgeConfig } from './config/EdgeConfig';
import { EdgeConfigInvalid, loadEdgeConfig } from './config/loadEdgeConfig';
import { createEdgeApp, type EdgeApp } from './infrastructure/createEdgeApp';

async function main(): Promise<number> {
  const log = new Logger('ocpp-edge');
  let config: EdgeConfig;
  try {
    config = loadEdgeConfig(process.env, { hostname: hostname() });
  } catch (e) {
    if (!(e instanceof EdgeConfigInvalid)) throw e;
    log.error(`not starting: ${e.message}`);
    return 2;
  }
  let edge: EdgeApp;
  try {
    edge = await createEdgeApp(config, {}, ['error', 'warn', 'log']);
  } catch (e) {
    log.error(`not starting: ${whyNotStarted(e as Error & { code?: string }, config)}`);
    return 2;
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.log(`${signal}: no new connections; finishing in-flight calls, closing stations, flushing Kafka`);
    // Backstop: the server and the publisher each give up after EDGE_SHUTDOWN_TIMEOUT_MS.
    setTimeout(() => {
      log.error('shutdown did not finish in time; exiting');
      process.exit(1);
    }, 2 * config.shutdownTimeoutMs + 5_000).unref();
    edge.close().then(
      () => {
        log.log('stopped');
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
  return 0;
}

function whyNotStarted(e: Error & { code?: string }, config: EdgeConfig): string {
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
    new Logger('ocpp-edge').error(`stopped: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
