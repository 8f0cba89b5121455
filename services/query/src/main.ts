// Query service: HTTP API for eMSPs, auditors and operators over the ledger and its read models.
// Says why when it will not start.
import 'reflect-metadata';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { Ledger, openEventStore } from '@metrology-ledger/ledger';
import { CredentialStore } from './auth/Credential';
import { createQueryApp } from './createQueryApp';
import { SessionProjector } from './readmodel/SessionProjector';
import { PostgresSessionStore } from './readmodel/PostgresSessionStore';
import { SessionReadModel } from './readmodel/SessionReadModel';
import type { SessionStore } from './readmodel/SessionStore';

/** QUERY_TRUST_PROXY: `true`, a hop count, or addresses/subnets as Express takes them; unset: no proxy. */
function trustProxy(value: string | undefined): boolean | number | string | undefined {
  if (value === undefined || value === '') return undefined;
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}

async function main(): Promise<number> {
  const log = new Logger('query');
  let credentials: CredentialStore;
  try {
    credentials = CredentialStore.fromEnvironment();
  } catch (e) {
    log.error(`not starting: ${(e as Error).message}`);
    return 2;
  }
  if (credentials.size === 0) {
    log.error('not starting: QUERY_API_KEYS is empty, so no one could be authenticated (e.g. QUERY_API_KEYS="<key>=emsp:DE-EMP-ALPHA;<key>=auditor")');
    return 2;
  }
  const store = await openEventStore();
  const ledger = new Ledger(store);
  // Read model: SQLite by default (embedded), PostgreSQL in production (QUERY_READ_MODEL=postgres).
  const sessions: SessionStore =
    process.env.QUERY_READ_MODEL === 'postgres'
      ? new PostgresSessionStore({ connectionString: process.env.DATABASE_URL, schema: process.env.QUERY_PG_SCHEMA ?? 'query' })
      : new SessionReadModel(process.env.QUERY_READ_MODEL_FILE ?? join(process.cwd(), '.data', 'query.sqlite'));
  // The read model follows the ledger: a full catch-up now, then new events every QUERY_REFRESH_MS.
  // A record that cannot be projected is logged and shown without an energy figure; it never stops this.
  const projector = new SessionProjector(ledger, sessions, (p) => log.warn(`read model: record ${p.streamId}@${p.revision} projected without an energy figure: ${p.problem}`));
  const n = await projector.catchUp();
  const refresh = Number(process.env.QUERY_REFRESH_MS ?? 2000);
  let running = false;
  setInterval(() => {
    if (running) return;
    running = true;
    projector
      .catchUp()
      .catch((e) => log.warn(`read model catch-up failed: ${(e as Error).message}`))
      .finally(() => (running = false));
  }, refresh).unref();
  const app = await createQueryApp({ ledger, sessions, credentials, options: { trustProxy: trustProxy(process.env.QUERY_TRUST_PROXY) } });
  const port = Number(process.env.QUERY_PORT ?? 3000);
  await app.listen(port, process.env.QUERY_HOST ?? '127.0.0.1');
  // Written directly: the application's logger shows warnings and errors only.
  process.stdout.write(`query: ${n} sessions; listening on ${process.env.QUERY_HOST ?? '127.0.0.1'}:${port}, OpenAPI at /docs\n`);
  return 0;
}

main().then(
  (code) => {
    if (code !== 0) process.exit(code);
  },
  (e) => {
    new Logger('query').error(`stopped: ${(e as Error).message}`);
    process.exit(1);
  },
);
