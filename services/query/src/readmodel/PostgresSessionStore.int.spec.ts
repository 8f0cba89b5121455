import { randomBytes } from 'node:crypto';
import { PostgresSessionStore } from './PostgresSessionStore';
import { sessionStoreContract } from './sessionStoreContract';

// Needs the PostgreSQL server of this machine (127.0.0.1:5432, database test); .ci/run provides it.
sessionStoreContract('postgres', async () => {
  const s = new PostgresSessionStore({ host: process.env.PGHOST ?? '127.0.0.1', user: process.env.PGUSER ?? 'postgres', database: process.env.PGDATABASE ?? 'test', schema: `q_${randomBytes(4).toString('hex')}` });
  await s.init();
  const close = s.close.bind(s);
  s.close = async () => {
    await s.dropSchema();
    await close();
  };
  return s;
});
