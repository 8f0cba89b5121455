// A thread of VerificationPool: checks the datasets it is sent under the keys sent with them and
// answers with plain values, one answer per request, in one message per batch. A dataset that
// verified under the first key is answered with `first` alone and `validKey: 0`, not twice. Once
// loaded, the thread sends an empty batch of answers: it is ready.
import { parentPort } from 'node:worker_threads';
import { tryKeys } from '../application/DatasetVerifier';
import type { TrialAnswer, TrialRequest } from './VerificationPool';

parentPort?.on('message', (batch: TrialRequest[]) => {
  const answers = batch.map((r): TrialAnswer => {
    try {
      const t = tryKeys(r.ocmf, r.keys);
      if (t.valid && t.valid.v === t.first) return { id: r.id, first: t.first, validKey: 0 };
      return { id: r.id, trial: t };
    } catch (e) {
      return { id: r.id, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
    }
  });
  parentPort?.postMessage(answers);
});
// Loaded and listening: an empty batch of answers tells the pool so (VerificationPool.ready).
parentPort?.postMessage([]);
