// Rebuilds the query read models from the ledger (store from LEDGER_* and PG* variables) into
// QUERY_READ_MODEL_FILE (default .data/query.sqlite), with a progress display. Settings through
// QueryConfig (no API keys needed).
import { rmSync } from 'node:fs';
import { Ledger, openEventStore } from '@metrology-ledger/ledger';
import { describeConfigProblems, loadQueryConfig } from '../config/QueryConfig';
import { ProgressReporter } from './ProgressReporter';
import { rebuildReadModels } from './rebuildReadModels';
import { SessionReadModel } from './SessionReadModel';

async function main(): Promise<number> {
  const loaded = loadQueryConfig(process.env, { purpose: 'rebuild' });
  if (!loaded.ok) {
    process.stderr.write(`rebuild: ${describeConfigProblems(loaded.problems)}\n`);
    return 2;
  }
  const { readModel, ledger: ledgerSettings } = loaded.config;
  if (readModel.kind !== 'sqlite') {
    process.stderr.write('rebuild: only the SQLite read model (QUERY_READ_MODEL_FILE) is rebuilt here; the PostgreSQL one is rebuilt by dropping its schema and starting the service\n');
    return 2;
  }
  const file = readModel.file;
  let store: Awaited<ReturnType<typeof openEventStore>>;
  try {
    store = await openEventStore(ledgerSettings.environment, { mustExist: true });
  } catch (e) {
    process.stderr.write(`rebuild: ${(e as Error).message}\n`);
    return 2;
  }
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  const sessions = new SessionReadModel(file);
  const progress = new ProgressReporter('rebuilding read models (streams)');
  let problems = 0;
  const n = await rebuildReadModels(new Ledger(store), sessions, (done, total) => progress.update(done, total), (p) => {
    problems++;
    if (problems <= 20) process.stderr.write(`record ${p.streamId}@${p.revision}: ${p.problem}\n`);
  });
  progress.finish();
  process.stderr.write(`${n} sessions from ${store.name} into ${file}${problems ? `; ${problems} records projected without an energy figure or skipped` : ''}\n`);
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
