// Ingest service on Kafka: consumes the datasets, metrology-log and faults topics, verifies, and records
// into the ledger store chosen by LEDGER_STORE. Reads its settings once, here (IngestConfig); says why
// when it cannot start; waits out a broker that is not ready yet; serves /health/live and /health/ready.
// Run from the build: node services/ingest/dist/main.js.
import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Kafka, logLevel } from 'kafkajs';
import { Ledger, openEventStore } from '@metrology-ledger/ledger';
import { describeConfigProblems, loadIngestConfig } from './config/IngestConfig';
import { BackOff } from './infrastructure/BackOff';
import { HealthServer } from './infrastructure/HealthServer';
import { IngestController } from './infrastructure/IngestController';
import { IngestKafkaServer } from './infrastructure/IngestKafkaServer';
import { IngestModule } from './infrastructure/IngestModule';
import { KafkaBrokerProbe } from './infrastructure/KafkaBrokerProbe';
import { KafkaConsumerSupervisor } from './infrastructure/KafkaConsumerSupervisor';
import { KafkaLogFilter } from './infrastructure/KafkaLogFilter';
import { MessageIntake } from './infrastructure/MessageIntake';
import { Readiness } from './infrastructure/Readiness';
import { RetryAborted } from './infrastructure/retryWithBackOff';

const log = new Logger('ingest');

async function main(): Promise<number> {
  const loaded = loadIngestConfig(process.env);
  if (!loaded.ok) {
    log.error(describeConfigProblems(loaded.problems));
    return 2;
  }
  const config = loaded.config;

  const readiness = new Readiness();
  readiness.fail('ledger', 'opening the store');
  readiness.fail('kafka', 'not started');
  let health: HealthServer;
  try {
    health = await HealthServer.start(readiness, config.health);
  } catch (e) {
    log.error(`not starting: cannot serve health checks on ${config.health.host}:${config.health.port} (${(e as Error).message}). Set INGEST_HEALTH_PORT to a free port (0: any).`);
    return 2;
  }

  let ledger: Ledger;
  try {
    ledger = new Ledger(await openEventStore(config.ledger.environment));
    await ledger.loadKeys();
  } catch (e) {
    log.error(`not starting: the ledger store cannot be opened (${(e as Error).message}). Check LEDGER_STORE and its settings.`);
    await health.close();
    return 2;
  }
  readiness.ok('ledger');

  const logFilter = new KafkaLogFilter(new Logger('kafkajs'));
  const probeClient = new Kafka({ clientId: `${config.kafka.clientId}-probe`, brokers: config.kafka.brokers, logLevel: logLevel.WARN, logCreator: logFilter.logCreator, retry: { retries: 2 } });
  const groupId = IngestKafkaServer.groupIdOf(config.kafka);
  let stop: (signal: string, code?: number) => Promise<void> = async () => undefined;
  const supervisor = new KafkaConsumerSupervisor({
    probe: new KafkaBrokerProbe(() => probeClient.admin(), Object.values(config.kafka.topics), groupId),
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
  const server = IngestKafkaServer.create(config.kafka, logFilter, supervisor);
  const app = await NestFactory.createMicroservice(
    IngestModule.forLedger(ledger, {
      pipeline: { maxMessageBytes: config.ingest.maxMessageBytes },
      intake: { inFlight: config.ingest.inFlight, retry: new BackOff({ initialMs: 200, maxMs: config.ingest.recordRetryMaxMs }), readiness },
    }),
    { strategy: server, logger: ['error', 'warn', 'log'] },
  );

  // Keys registered while running (new stations, meter replacements) are picked up.
  const refresh = setInterval(() => void ledger.loadKeys().catch((e) => log.warn(`key registry refresh failed: ${(e as Error).message}`)), config.ingest.keyRefreshMs);
  let stopping = false;
  stop = async (signal, code = 0) => {
    if (stopping) return;
    stopping = true;
    log.log(`${signal}: committing offsets and stopping`);
    clearInterval(refresh);
    supervisor.stop();
    app.get(MessageIntake).stop();
    await app.get(IngestController).flushOffsets().catch((e) => log.warn(`offsets not committed: ${(e as Error).message}`));
    await app.close().catch(() => undefined);
    await ledger.store.close().catch(() => undefined);
    await health.close();
    process.exit(code);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  log.log(`health on ${config.health.host}:${health.port} (/health/live, /health/ready); ledger store ${ledger.store.name}`);
  try {
    await supervisor.start({ start: () => app.listen(), stop: () => server.close() });
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
    log.error(`stopped: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
