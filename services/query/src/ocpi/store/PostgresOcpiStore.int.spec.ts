import { randomBytes } from 'node:crypto';
import { ocpiStoreContract } from './ocpiStoreContract';
import { PostgresRunner } from './PostgresRunner';
import { SqlOcpiStore } from './SqlOcpiStore';

// Needs the PostgreSQL server of this machine (127.0.0.1:5432, database test); .ci/run provides it.
ocpiStoreContract('postgres', async () => {
  const runner = new PostgresRunner({ host: process.env.PGHOST ?? '127.0.0.1', user: process.env.PGUSER ?? 'postgres', database: process.env.PGDATABASE ?? 'test' }, `ocpi_${randomBytes(4).toString('hex')}`);
  const store = new SqlOcpiStore(runner);
  const close = runner.close.bind(runner);
  runner.close = async () => {
    await runner.dropSchema();
    await close();
  };
  return store;
});
