// Rebuilds the query read models from the ledger (store from LEDGER_* and PG* variables) into the
// read model QUERY_READ_MODEL names: the SQLite file QUERY_READ_MODEL_FILE (default
// .data/query.sqlite; removed first) or the PostgreSQL schema QUERY_PG_SCHEMA (dropped first), with a
// progress display. Settings through QueryConfig (no API keys needed).
import { rmSync } from 'node:fs';
import { Ledger, openEventStore } from '@metrology-ledger/ledger';
import { describeConfigProblems, loadQueryConfig } from '../config/QueryConfig';
import { PostgresSessionStore } from './PostgresSessionStore';
import { ProgressReporter } from './ProgressReporter';
import { rebuildReadModels } from './rebuildReadModels';
import { SessionReadModel } from './SessionReadModel';
import type { SessionStore } from './SessionStore';
import { ThreadedSessionWrites } from './ThreadedSessionWrites';

async function main(): Promise<number> {
  const loaded = loadQueryConfig(process.env, { purpose: 'rebuild' });
  if (!loaded.ok) {
    process.stderr.write(`rebuild: ${describeConfigProblems(loaded.problems)}\n`);
    return 2;
  }
  const { readModel, ledger: ledgerSettings } = loaded.config;
  let store: Awaited<ReturnType<typeof openEventStore>>;
  try {
    store = await openEventStore(ledgerSettings.environment, { mustExist: true });
  } catch (e) {
    process.stderr.write(`rebuild: ${(e as Error).message}\n`);
    return 2;
  }
  let sessions: SessionStore;
  let createIndexes: () => unknown;
  let where: string;
  /** How the pages went into PostgreSQL, for the last line. */
  let pages = () => '';
  if (readModel.kind === 'sqlite') {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${readModel.file}${suffix}`, { force: true });
    // The projector's pages are written on a thread of their own while the next page is read and projected.
    const model = new SessionReadModel(readModel.file, { deferIndexes: true });
    const sqlite = readModel.file === ':memory:' ? model : new ThreadedSessionWrites(model, readModel.file);
    sessions = sqlite;
    createIndexes = () => sqlite.createIndexes();
    where = readModel.file;
  } else {
    const pg = new PostgresSessionStore({ connectionString: readModel.connectionString, schema: readModel.schema, deferIndexes: true });
    await pg.dropSchema();
    await pg.init();
    // The pages' upserts on a thread (and a pool) of their own, as for SQLite.
    const threaded = new ThreadedSessionWrites(pg, { postgres: { connectionString: readModel.connectionString, schema: readModel.schema } });
    sessions = threaded;
    createIndexes = () => threaded.createIndexes();
    // A page upserted instead of copied met a session already stored: the ledger records a counter twice.
    pages = () => ` (pages: ${threaded.batches.copied} copied, ${threaded.batches.upserted} upserted because a session of theirs was already stored)`;
    where = `schema ${readModel.schema}`;
  }
  const progress = new ProgressReporter('rebuilding read models (streams)');
  let problems = 0;
  const n = await rebuildReadModels(new Ledger(store), sessions, (done, total) => progress.update(done, total), (p) => {
    problems++;
    if (problems <= 20) process.stderr.write(`record ${p.streamId}@${p.revision}: ${p.problem}\n`);
  });
  progress.finish();
  process.stderr.write('creating the read model indexes\n');
  await createIndexes();
  process.stderr.write(`${n} sessions from ${store.name} into ${where}${pages()}${problems ? `; ${problems} records projected without an energy figure or skipped` : ''}\n`);
  await sessions.close();
  await store.close();
  return 0;
}

main().then(
  (c) => (process.exitCode = c),
  (e) => {
    process.stderr.write(`rebuild: ${(e as Error).message}\n`);
    process.exitCode = 2;
  },
);
