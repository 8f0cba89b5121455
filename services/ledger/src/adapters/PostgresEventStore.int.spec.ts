import { eventStoreContract } from '../ports/eventStoreContract';
import { testPostgresStore } from '../testing/postgres';
import type { PostgresEventStore } from './PostgresEventStore';

// Needs the PostgreSQL server of this machine (127.0.0.1:5432, database test); .ci/run provides it.
const opened: PostgresEventStore[] = [];
eventStoreContract('postgres', async () => {
  const s = testPostgresStore('contract');
  await s.init();
  opened.push(s);
  const close = s.close.bind(s);
  s.close = async () => {
    await s.dropSchema();
    await close();
  };
  return s;
});
