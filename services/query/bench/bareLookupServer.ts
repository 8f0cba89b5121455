// The query benchmark's limit: a bare Fastify route (no Nest, no middleware, one fixed key compared
// as text) answering the eMSP session lookup from the same read model the query service reads (the
// same store class and query, the same summary body). Started by queryBench.ts in a process of its
// own; prints `listening` when it is. Settings from its environment (only this entry point reads it).
import Fastify from 'fastify';
import { sessionSummary } from '../src/domain/sessionSummary';
import { PostgresSessionStore } from '../src/readmodel/PostgresSessionStore';
import { SessionReadModel } from '../src/readmodel/SessionReadModel';
import type { SessionStore } from '../src/readmodel/SessionStore';

const env = process.env;
const key = `Bearer ${env.BARE_KEY}`;
const emspId = env.BARE_EMSP_ID!;
const store: SessionStore = env.BARE_READ_MODEL === 'postgres' ? new PostgresSessionStore({ connectionString: env.DATABASE_URL, schema: env.BARE_PG_SCHEMA }) : new SessionReadModel(env.BARE_SQLITE_FILE);

const app = Fastify({ logger: false });
app.get<{ Params: { transactionId: string } }>('/emsp/sessions/:transactionId', async (req, reply) => {
  if (req.headers.authorization !== key) return reply.code(401).send({ statusCode: 401 });
  const found = await store.byTransaction(req.params.transactionId, emspId);
  if (found.length === 0) return reply.code(404).send({ statusCode: 404 });
  return found.map(sessionSummary);
});
app.listen({ host: '127.0.0.1', port: Number(env.BARE_PORT) }).then(
  () => process.stdout.write('listening\n'),
  (e: Error) => {
    process.stderr.write(`bare Fastify server: ${e.message}\n`);
    process.exit(1);
  },
);
process.once('SIGTERM', () => void app.close().then(() => store.close()).then(() => process.exit(0)));
