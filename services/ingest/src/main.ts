// Ingest service on Kafka: consumes the ocmf-datasets, metrology-log and station-faults topics,
// verifies, and records into the ledger store chosen by LEDGER_STORE. Says why when it cannot start.
import 'reflect-metadata';
import { readFileSync } from 'node:fs';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Transport, type MicroserviceOptions } from '@nestjs/microservices';
import { Ledger, openEventStore } from '@metrology-ledger/ledger';
import { registerSimulatedKeys } from './application/registerSimulatedKeys';
import { IngestController } from './infrastructure/IngestController';
import { IngestModule } from './infrastructure/IngestModule';
import { RawMessageDeserializer } from './infrastructure/RawMessageDeserializer';

async function main(): Promise<number> {
  const log = new Logger('ingest');
  const brokers = process.env.KAFKA_BROKERS;
  if (!brokers) {
    log.error('not starting: KAFKA_BROKERS is not set (e.g. 127.0.0.1:19092, see scripts/kafka.sh). For one machine without Kafka, run `npm start`.');
    return 2;
  }
  let ledger: Ledger;
  try {
    ledger = new Ledger(await openEventStore());
    await ledger.loadKeys();
  } catch (e) {
    log.error(`not starting: the ledger store cannot be opened (${(e as Error).message}). Check LEDGER_STORE and its settings.`);
    return 2;
  }
  if (process.env.REGISTER_KEYS_FROM_MANIFEST) {
    const n = await registerSimulatedKeys(ledger, JSON.parse(readFileSync(process.env.REGISTER_KEYS_FROM_MANIFEST, 'utf8')));
    log.log(`registered ${n} station keys from ${process.env.REGISTER_KEYS_FROM_MANIFEST}`);
  }
  const app = await NestFactory.createMicroservice<MicroserviceOptions>(IngestModule.forLedger(ledger), {
    logger: ['error', 'warn', 'log'],
    transport: Transport.KAFKA,
    options: {
      client: { clientId: process.env.KAFKA_CLIENT_ID ?? 'metrology-ingest', brokers: brokers.split(','), retry: { retries: 8 } },
      consumer: { groupId: process.env.KAFKA_GROUP_ID ?? 'metrology-ingest', sessionTimeout: 10_000, heartbeatInterval: 1_000 },
      subscribe: { fromBeginning: true },
      run: { autoCommit: false },
      parser: { keepBinary: true },
      deserializer: new RawMessageDeserializer(),
    },
  });
  // Keys registered while running (new stations, meter replacements) are picked up.
  const refresh = setInterval(() => void ledger.loadKeys().catch((e) => log.warn(`key registry refresh failed: ${(e as Error).message}`)), 5_000);
  const controller = app.get(IngestController);
  const stop = async (signal: string) => {
    log.log(`${signal}: committing offsets and stopping`);
    clearInterval(refresh);
    await controller.flushOffsets().catch(() => undefined);
    await app.close();
    await ledger.store.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
  await app.listen();
  log.log(`consuming from ${brokers} into ${ledger.store.name}`);
  return 0;
}

main().then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (e) => {
    new Logger('ingest').error(`stopped: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
