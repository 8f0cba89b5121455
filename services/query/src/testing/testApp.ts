import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { Ledger, SqliteEventStore, type EventStore, type LedgerEvidenceOptions } from '@metrology-ledger/ledger';
import { CredentialStore } from '../auth/Credential';
import { createQueryApp, type QueryAppOptions } from '../createQueryApp';
import { SessionReadModel } from '../readmodel/SessionReadModel';
import type { SessionStore } from '../readmodel/SessionStore';

export const TEST_KEYS = {
  emsp: 'emsp-key-0123456789abcdef',
  auditor: 'auditor-key-0123456789abcd',
  operator: 'operator-key-0123456789ab',
};

export const as = (key: string) => ({ Authorization: `Bearer ${key}` });

/** Tests only: a ledger (in memory unless a store is given) and read model (in memory unless one is given) behind the real application, and a supertest client. */
export async function startTestApp(options: QueryAppOptions = {}, store: EventStore = new SqliteEventStore(':memory:'), readModel?: SessionStore, evidence: LedgerEvidenceOptions = {}) {
  const ledger = new Ledger(store, undefined, evidence);
  const sessions: SessionStore = readModel ?? new SessionReadModel(':memory:');
  const credentials = CredentialStore.fromEnvironment(`${TEST_KEYS.emsp}=emsp:DE-EMP-ALPHA;${TEST_KEYS.auditor}=auditor;${TEST_KEYS.operator}=operator`);
  const app: INestApplication = await createQueryApp({ ledger, sessions, credentials, options });
  await app.init();
  await (app.getHttpAdapter().getInstance() as { ready(): Promise<unknown> }).ready();
  return { app, store, ledger, sessions, http: request(app.getHttpServer()) };
}
