// Ingest service on Kafka: consumes the datasets, metrology-log and faults topics, verifies, and records
// into the ledger store chosen by LEDGER_STORE. Reads its settings once, here (IngestConfig: the only
// place process.env is read); says why when it cannot start; waits out a broker that is not ready yet;
// serves /health/live and /health/ready (@nestjs/terminus) and /metrics (prom-client) on ports of their
// own; logs JSON lines (pino); on SIGTERM drains, commits what is recorded, leaves the group and exits.
// Run from the build: node services/ingest/dist/main.js.
import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { Logger, type INestApplication, type INestMicroservice } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Kafka } from 'kafkajs';
import { Ledger, LedgerSigningKey, openEventStore } from '@metrology-ledger/ledger';
import { describeConfigProblems, loadIngestConfig } from './config/IngestConfig';
import { IngestHealthModule } from './health/IngestHealthModule';
import { LedgerStoreProbe } from '@metrology-ledger/ledger';
import { BackOff } from './infrastructure/BackOff';
import { IngestController } from './infrastructure/IngestController';
import { IngestKafkaServer } from './infrastructure/IngestKafkaServer';
import { IngestModule } from './infrastructure/IngestModule';
import { KafkaBrokerProbe } from './infrastructure/KafkaBrokerProbe';
import { KafkaConsumerSupervisor } from './infrastructure/KafkaConsumerSupervisor';
import { KafkaLogFilter } from './infrastructure/KafkaLogFilter';
import { MessageIntake } from './infrastructure/MessageIntake';
import { Readiness } from '@metrology-ledger/service-runtime';
import { RetryAborted } from './infrastructure/retryWithBackOff';
import { shutDownGracefully } from './infrastructure/shutDownGracefully';
import { VerificationPool } from './infrastructure/VerificationPool';
import { createServiceLogger } from '@metrology-ledger/service-runtime';
import { nestLoggerOf } from './logging/nestLoggerOf';
import { ConsumerLagMonitor } from './metrics/ConsumerLagMonitor';
import { IngestMetrics } from './metrics/IngestMetrics';
import { MetricsServer } from '@metrology-ledger/service-runtime';

async function main(): Promise<number> {
  const loaded = loadIngestConfig(process.env);
  if (!loaded.ok) {
    createServiceLogger('ingest', 'info').fatal({ problems: loaded.problems }, describeConfigProblems(loaded.problems));
    return 2;
  }
  const config = loaded.config;
  const nestLogger = nestLoggerOf(createServiceLogger('ingest', config.log.level));
  Logger.overrideLogger(nestLogger);
  const log = new Logger('ingest');

  // What exists so far, for a shutdown that may come at any point of the start.
  let metricsServer: MetricsServer | undefined;
  let health: INestApplication | undefined;
  let ledger: Ledger | undefined;
  let app: INestMicroservice | undefined;
  let server: IngestKafkaServer | undefined;
  let supervisor: KafkaConsumerSupervisor | undefined;
  let lagMonitor: ConsumerLagMonitor | undefined;
  let refresh: NodeJS.Timeout | undefined;
  let verifiers: VerificationPool | undefined;
  let stopping = false;
  const closeConnections = async () => {
    await lagMonitor?.stop();
    await ledger?.checkpointSchedule?.stop();
    await verifiers?.close();
    await ledger?.store.close().catch((e) => log.warn(`closing the store failed: ${(e as Error).message}`));
    await health?.close().catch(() => undefined);
    await metricsServer?.close();
  };
  const stop = async (signal: string, code = 0): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.log(`${signal}: stopping within ${config.shutdown.graceMs} ms: no more messages taken; those in flight are recorded and their offsets committed, the rest is delivered again after the restart`);
    const intake = app?.get(MessageIntake);
    const report = await shutDownGracefully(
      {
        stopTakingWork: () => {
          clearInterval(refresh);
          supervisor?.stop();
          intake?.close();
          try {
            server?.pause();
          } catch {
            // the consumer is not running yet: nothing to pause
          }
        },
        drain: async () => intake?.drain(),
        giveUpRetries: () => intake?.stop(),
        commit: async () => app?.get(IngestController).flushOffsets(),
        leaveGroup: async () => app?.close(),
        closeConnections,
      },
      { graceMs: config.shutdown.graceMs, logger: log },
    );
    log.log(report.clean ? `stopped (${signal})` : `stopped (${signal}); not finished in time: ${report.late.join(', ')}`);
    process.exit(report.clean ? code : 1);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  const readiness = new Readiness();
  readiness.fail('ledger', 'opening the store');
  readiness.fail('kafka', 'not started');
  const metrics = new IngestMetrics();
  const storeProbe = new LedgerStoreProbe();
  try {
    metricsServer = await MetricsServer.start(metrics.registry, config.metrics);
  } catch (e) {
    log.error(`not starting: cannot serve metrics on ${config.metrics.host}:${config.metrics.port} (${(e as Error).message}). Set METRICS_PORT to a free port (0: any).`);
    return 2;
  }
  try {
    health = await NestFactory.create<NestExpressApplication>(IngestHealthModule.forProbes({ readiness, store: storeProbe }), { logger: nestLogger, abortOnError: false });
    (health as NestExpressApplication).disable('x-powered-by');
    await health.listen(config.health.port, config.health.host);
  } catch (e) {
    log.error(`not starting: cannot serve health checks on ${config.health.host}:${config.health.port} (${(e as Error).message}). Set INGEST_HEALTH_PORT to a free port (0: any).`);
    await closeConnections();
    return 2;
  }
  const healthPort = (health.getHttpServer().address() as AddressInfo).port;

  try {
    // The ledger signs a checkpoint every N events or M minutes when it has a key (LEDGER_SIGNING_KEY[_FILE]).
    const { signingKeyPem, checkpointPolicy } = config.ledger.evidence;
    ledger = new Ledger(await openEventStore(config.ledger.environment), undefined, {
      cacheEntries: config.ingest.stateCacheEntries,
      ...(signingKeyPem ? { signingKey: LedgerSigningKey.fromPem(signingKeyPem), checkpointPolicy, onCheckpointError: (e: Error) => log.error(`checkpoint not signed: ${e.message}`) } : {}),
    });
    await ledger.loadKeys();
    ledger.checkpointSchedule?.start();
  } catch (e) {
    log.error(`not starting: the ledger store (${config.ledger.description}) cannot be opened (${(e as Error).message}). Check LEDGER_STORE and its settings.`);
    await closeConnections();
    return 2;
  }
  storeProbe.attach(ledger);
  readiness.ok('ledger');

  const logFilter = new KafkaLogFilter(new Logger('kafkajs'));
  const adminClient = new Kafka(IngestKafkaServer.adminClientConfig(config.kafka, logFilter));
  const groupId = IngestKafkaServer.groupIdOf(config.kafka);
  supervisor = new KafkaConsumerSupervisor({
    probe: new KafkaBrokerProbe(() => adminClient.admin(), Object.values(config.kafka.topics), groupId),
    backOff: new BackOff({ initialMs: 500, maxMs: config.kafka.startRetryMaxMs }),
    readiness,
    logger: log,
    groupId,
    heldBack: () => logFilter.takeHeldBack(),
    onFatal: (e) => {
      log.error(`stopping: the Kafka consumer failed and waiting will not cure it: ${(e as Error).stack ?? e}`);
      void stop('fatal', 1);
    },
  });
  const kafkaServer = (server = IngestKafkaServer.create(config.kafka, logFilter, supervisor));
  verifiers = config.ingest.verifyThreads > 0 ? new VerificationPool(config.ingest.verifyThreads) : undefined;
  const consumer = (app = await NestFactory.createMicroservice(
    IngestModule.forLedger(ledger, {
      pipeline: { maxMessageBytes: config.ingest.maxMessageBytes, observer: metrics, ...(verifiers ? { verifier: verifiers } : {}) },
      intake: {
        inFlight: config.ingest.inFlight,
        retry: new BackOff({ initialMs: 200, maxMs: config.ingest.recordRetryMaxMs }),
        readiness,
        onRetry: () => metrics.recordRetried(),
      },
    }),
    { strategy: kafkaServer, logger: nestLogger },
  ));
  lagMonitor = new ConsumerLagMonitor(() => adminClient.admin(), groupId, Object.values(config.kafka.topics), (lag) => metrics.consumerLag(lag), {
    intervalMs: config.kafka.lagRefreshMs,
    logger: log,
  });
  lagMonitor.start();

  // Keys registered while running (new stations, meter replacements) are picked up.
  const keyLedger = ledger;
  refresh = setInterval(() => void keyLedger.loadKeys().catch((e) => log.warn(`key registry refresh failed: ${(e as Error).message}`)), config.ingest.keyRefreshMs);

  log.log({
    msg: `health on ${config.health.host}:${healthPort} (/health/live, /health/ready); metrics on ${config.metrics.host}:${metricsServer.port} (/metrics); ledger store ${config.ledger.description}`,
    healthPort,
    metricsPort: metricsServer.port,
  });
  try {
    await supervisor.start({ start: () => consumer.listen(), stop: () => kafkaServer.close() });
  } catch (e) {
    if (e instanceof RetryAborted) return 0; // stopped while waiting for the brokers: `stop` exits
    log.error(`not starting: the Kafka consumer cannot start and waiting will not cure it: ${(e as Error).stack ?? e}`);
    await stop('fatal', 1);
  }
  log.log(`consuming ${Object.values(config.kafka.topics).join(', ')} from ${config.kafka.brokers.join(',')} as group ${groupId}`);
  return 0;
}

main().then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (e) => {
    new Logger('ingest').fatal(`stopped: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
