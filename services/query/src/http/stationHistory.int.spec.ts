import { randomBytes } from 'node:crypto';
import { PostgresEventStore } from '@metrology-ledger/ledger';
import { stationHistoryEndpointContract } from '../testing/stationHistoryEndpointContract';

// Needs the PostgreSQL server of this machine (127.0.0.1:5432, database test); .ci/run provides it.
stationHistoryEndpointContract('postgres', async () => {
  const store = new PostgresEventStore({
    host: process.env.PGHOST ?? '127.0.0.1',
    user: process.env.PGUSER ?? 'postgres',
    database: process.env.PGDATABASE ?? 'test',
    schema: `qh_${randomBytes(4).toString('hex')}`,
  });
  await store.init();
  const close = store.close.bind(store);
  store.close = async () => {
    await store.dropSchema();
    await close();
  };
  return store;
});
