// Rebuilds the query read models from the ledger (store from LEDGER_* variables) into
// QUERY_READ_MODEL_FILE (default .data/query.sqlite), with a progress bar.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { openEventStore } from '@metrology-ledger/ledger';
import { ProgressBar } from '@metrology-ledger/cp800-model';
import { rebuildReadModels } from './rebuildReadModels';
import { SessionReadModel } from './SessionReadModel';

async function main(): Promise<number> {
  const file = process.env.QUERY_READ_MODEL_FILE ?? join(process.cwd(), '.data', 'query.sqlite');
  for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
  const store = await openEventStore();
  const sessions = new SessionReadModel(file);
  let bar: ProgressBar | undefined;
  const n = await rebuildReadModels(store, sessions, (done, total) => {
    bar ??= new ProgressBar('rebuilding read models', total);
    bar.update(done);
  });
  bar?.finish();
  process.stderr.write(`${n} sessions from ${store.name} into ${file}\n`);
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
