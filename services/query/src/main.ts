// Query service: HTTP API for eMSPs, auditors and operators over the ledger and its read models.
// Reads its settings once, here (QueryConfig: with rebuildMain.ts the only places process.env is read);
// says why when it will not start; listens at once (health probes answer, everything else is 503 until
// the read model has caught up with the ledger); /metrics on a port of its own; JSON logs (pino); on
// SIGTERM stops listening, finishes the requests under way and closes its stores.
import 'reflect-metadata';
import type { Server } from 'node:http';
import { Logger } from '@nestjs/common';
import { Ledger, LedgerSigningKey, openEventStore } from '@metrology-ledger/ledger';
import { CredentialStore } from './auth/Credential';
import { describeConfigProblems, loadQueryConfig } from './config/QueryConfig';
import { createQueryApp } from './createQueryApp';
import { LedgerStoreProbe } from '@metrology-ledger/ledger';
import { QueryHealthModule } from './health/QueryHealthModule';
import { GracefulHttpServer } from './http/GracefulHttpServer';
import { createServiceLogger } from '@metrology-ledger/service-runtime';
import { nestLoggerOf } from './logging/nestLoggerOf';
import { MetricsServer } from '@metrology-ledger/service-runtime';
import { QueryMetrics } from './metrics/QueryMetrics';
import { PostgresSessionStore } from './readmodel/PostgresSessionStore';
import { ReadModelFollower } from './readmodel/ReadModelFollower';
import { SessionProjector } from './readmodel/SessionProjector';
import { SessionReadModel } from './readmodel/SessionReadModel';
import type { SessionStore } from './readmodel/SessionStore';
import { composeOcpi, openOcpiStore } from './ocpi/openOcpi';
import { SessionChangeFeed } from './ocpi/push/SessionChangeFeed';
import { ReceiptCapability } from './receipts/ReceiptCapability';

async function main(): Promise<number> {
  const loaded = loadQueryConfig(process.env);
  if (!loaded.ok) {
    createServiceLogger('query', 'info').fatal({ problems: loaded.problems }, describeConfigProblems(loaded.problems));
    return 2;
  }
  const config = loaded.config;
  const pino = createServiceLogger('query', config.log.level);
  Logger.overrideLogger(nestLoggerOf(pino));
  const log = new Logger('query');

  const metrics = new QueryMetrics();
  let metricsServer: MetricsServer;
  try {
    metricsServer = await MetricsServer.start(metrics.registry, config.metrics);
  } catch (e) {
    log.error(`not starting: cannot serve metrics on ${config.metrics.host}:${config.metrics.port} (${(e as Error).message}). Set METRICS_PORT to a free port (0: any).`);
    return 2;
  }
  let ledger: Ledger;
  try {
    // With a key the ledger signs a checkpoint for each evidence bundle; without one, bundles answer 503.
    const { signingKeyPem } = config.ledger.evidence;
    ledger = new Ledger(await openEventStore(config.ledger.environment, { mustExist: true }), undefined, signingKeyPem ? { signingKey: LedgerSigningKey.fromPem(signingKeyPem) } : {});
  } catch (e) {
    log.error(`not starting: the ledger store (${config.ledger.description}) cannot be opened (${(e as Error).message}). Check LEDGER_STORE and its settings.`);
    await metricsServer.close();
    return 2;
  }
  // Read model: SQLite by default (embedded), PostgreSQL in production (QUERY_READ_MODEL=postgres).
  const sessions: SessionStore =
    config.readModel.kind === 'postgres' ? new PostgresSessionStore({ connectionString: config.readModel.connectionString, schema: config.readModel.schema, onStatisticsProblem: (m) => log.warn(`read model: ${m}`) }) : new SessionReadModel(config.readModel.file);
  // A record that cannot be projected is logged and shown without an energy figure; it never stops a catch-up.
  // With OCPI on, the projector writes through a change feed: a delivered CDR whose session falls into conflict is credited within a pass.
  const changes = config.ocpi ? new SessionChangeFeed() : undefined;
  const projector = new SessionProjector(ledger, changes ? changes.watch(sessions) : sessions, (p) => log.warn(`read model: record ${p.streamId}@${p.revision} projected without an energy figure: ${p.problem}`));
  const follower = new ReadModelFollower(projector, { refreshMs: config.refreshMs, logger: log, observer: metrics });
  const receipts = new ReceiptCapability(config.receiptKey);
  if (!config.receiptKey) log.warn('QUERY_RECEIPT_KEY is not set: receipt links are signed with a key of this process and stop working when it stops');
  const store = new LedgerStoreProbe();
  store.attach(ledger);
  // OCPI 2.2.1, CPO side (when OCPI_PUBLIC_URL is set): its own store beside the read model, its worker started after the first catch-up.
  const ocpiStore = config.ocpi ? openOcpiStore(config.ocpi.store) : undefined;
  const ocpi = config.ocpi && ocpiStore ? composeOcpi({ ledger, store: ocpiStore, sessions, settings: config.ocpi, push: config.ocpi, tokenKey: config.ocpi.tokenKey, receipts, changes, log: new Logger('ocpi') }) : undefined;
  if (config.ocpi && !config.ocpi.tokenKey) log.warn('OCPI_TOKEN_KEY is not set: the tokens eMSPs give us (token B) are stored as given in the OCPI store');

  const app = await createQueryApp({
    ledger,
    sessions,
    credentials: CredentialStore.fromEnvironment(config.apiKeys),
    options: {
      trustProxy: config.http.trustProxy,
      modules: [QueryHealthModule.forProbes({ store, sessions, readModel: follower }), ...(ocpi ? [ocpi.module] : [])],
      ready: () => follower.caughtUpOnce,
      requests: metrics,
      pino,
      receipts,
    },
  });
  const http = new GracefulHttpServer(app.getHttpServer() as Server);

  let stopping = false;
  const stop = async (signal: string): Promise<void> => {
    if (stopping) return;
    stopping = true;
    log.log(`${signal}: stopping within ${config.shutdown.graceMs} ms: no new connections; ${http.requestsInFlight} request(s) under way are finished`);
    const hardStop = setTimeout(() => {
      log.error(`${signal}: not stopped within ${config.shutdown.graceMs} ms; exiting now`);
      process.exit(1);
    }, config.shutdown.graceMs + 2_000);
    const started = Date.now();
    const drained = await http.drain(config.shutdown.graceMs);
    if (drained.cut > 0) log.warn(`${signal}: ${drained.cut} request(s) still running at the end of the grace period were cut`);
    await follower.stop();
    await ocpi?.worker.stop();
    await app.close().catch((e) => log.warn(`closing the application failed: ${(e as Error).message}`));
    await sessions.close().catch((e) => log.warn(`closing the read model failed: ${(e as Error).message}`));
    await ocpiStore?.close().catch((e) => log.warn(`closing the OCPI store failed: ${(e as Error).message}`));
    await ledger.store.close().catch((e) => log.warn(`closing the ledger store failed: ${(e as Error).message}`));
    await metricsServer.close();
    clearTimeout(hardStop);
    log.log(`stopped (${signal}) after ${Date.now() - started} ms`);
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));

  try {
    await app.listen(config.http.port, config.http.host);
  } catch (e) {
    log.error(`not starting: cannot listen on ${config.http.host}:${config.http.port} (${(e as Error).message}). Set QUERY_PORT to a free port.`);
    await sessions.close().catch(() => undefined);
    await ledger.store.close().catch(() => undefined);
    await metricsServer.close();
    return 2;
  }
  log.log({ msg: `health on ${config.http.host}:${config.http.port} (/health/live, /health/ready); metrics on ${config.metrics.host}:${metricsServer.port} (/metrics); ledger store ${config.ledger.description}; catching up the read model`, metricsPort: metricsServer.port });
  // The read model follows the ledger: a full catch-up now (retried while the ledger cannot be read),
  // then the new events every QUERY_REFRESH_MS. Until the first one is done, the API answers 503.
  const n = await follower.start();
  if (stopping) return 0;
  if (ocpi) {
    await ocpiStore!.init();
    ocpi.worker.start();
    log.log(`OCPI 2.2.1: versions at ${config.ocpi!.publicUrl}/ocpi/cpo/versions; CDRs pushed every ${config.ocpi!.intervalMs} ms`);
  }
  log.log({ msg: `query: ${n} sessions; listening on ${config.http.host}:${config.http.port}, OpenAPI at /docs`, sessions: n });
  return 0;
}

main().then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (e) => {
    new Logger('query').fatal(`stopped: ${(e as Error).stack ?? e}`);
    process.exit(1);
  },
);
