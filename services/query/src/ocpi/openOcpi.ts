import type { Ledger } from '@metrology-ledger/ledger';
import type { FailedAuthThrottle } from '../auth/FailedAuthThrottle';
import type { OcpiConfig } from '../config/QueryConfig';
import type { ReceiptCapability } from '../receipts/ReceiptCapability';
import type { SessionStore } from '../readmodel/SessionStore';
import { TokenSealer } from './domain/TokenSealer';
import { OcpiModule } from './OcpiModule';
import { OcpiRegistration } from './OcpiRegistration';
import type { OcpiSettings } from './OcpiSettings';
import { CdrProducer } from './push/CdrProducer';
import { CdrPusher } from './push/CdrPusher';
import { OcpiClient } from './push/OcpiClient';
import { OcpiWorker } from './push/OcpiWorker';
import type { SessionChangeFeed } from './push/SessionChangeFeed';
import type { OcpiStore } from './store/OcpiStore';
import { PostgresRunner } from './store/PostgresRunner';
import { SqliteRunner } from './store/SqliteRunner';
import { SqlOcpiStore } from './store/SqlOcpiStore';

/** The OCPI store of the configuration: SQLite file or PostgreSQL schema of its own. */
export function openOcpiStore(store: OcpiConfig['store']): SqlOcpiStore {
  return new SqlOcpiStore(store.kind === 'postgres' ? new PostgresRunner({ connectionString: store.connectionString }, store.schema) : new SqliteRunner(store.file));
}

/** Everything OCPI needs, put together once (main.ts, tests): the Nest module and the background worker. */
export function composeOcpi(deps: {
  ledger: Ledger;
  store: OcpiStore;
  sessions: SessionStore;
  settings: OcpiSettings;
  push: { intervalMs: number; retryMinMs: number; retryMaxMs: number; leaseMs?: number };
  log: { warn(message: string): void };
  client?: OcpiClient;
  now?: () => Date;
  /** When given, every CDR's signed_data.url is a receipt link for the customer (the service's own ReceiptCapability). */
  receipts?: ReceiptCapability;
  /** OCPI_TOKEN_KEY: seals token B in the store; unset, token B is stored as given. */
  tokenKey?: string;
  /** Failed OCPI authentications per address (default: 20 a minute, like the API keys). */
  throttle?: FailedAuthThrottle;
  /** The projector's change feed (`feed.watch(sessions)` given to the projector): delivered CDRs of sessions fallen unprovable are credited within a pass, not only at the next start. */
  changes?: SessionChangeFeed;
}) {
  const client = deps.client ?? new OcpiClient();
  const cpo = { countryCode: deps.settings.countryCode, partyId: deps.settings.partyId };
  const sealer = new TokenSealer(deps.tokenKey);
  const registration = new OcpiRegistration(deps.store, client, deps.settings, deps.now, sealer);
  const receiptUrl = deps.receipts ? receiptLinks(deps.receipts, deps.settings, deps.now) : undefined;
  const producer = new CdrProducer(deps.sessions, deps.store, { ...cpo, currency: deps.settings.currency }, deps.now, receiptUrl, deps.changes);
  const pusher = new CdrPusher(deps.store, deps.sessions, client, { ...deps.push, leaseMs: deps.push.leaseMs ?? 60_000, cpo }, deps.now, deps.log, sealer);
  return { module: OcpiModule.create({ ledger: deps.ledger, store: deps.store, settings: deps.settings, registration, throttle: deps.throttle }), worker: new OcpiWorker(producer, pusher, deps.push.intervalMs, deps.log) };
}

/** How long the receipt link in a CDR works: the eMSP hands it on with the invoice, which may come a month or two later. */
export const CDR_RECEIPT_DAYS = 90;

/** The receipt link of a session for its CDR (`signed_data.url`, string(512) in OCPI: none when longer). */
function receiptLinks(receipts: ReceiptCapability, settings: OcpiSettings, now: () => Date = () => new Date()) {
  return (s: { streamId: string; counter: string; emspId: string }): string | undefined => {
    const expires = Math.floor(now().getTime() / 1000) + CDR_RECEIPT_DAYS * 86_400;
    const url = `${settings.publicUrl}/receipts/${receipts.issue({ ...s, expires })}`;
    return url.length <= 512 ? url : undefined;
  };
}
