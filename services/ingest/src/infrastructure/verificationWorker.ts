// A thread of VerificationPool: checks the datasets it is sent under the keys sent with them and
// answers with plain values, one answer per request, in one message per batch.
import { parentPort } from 'node:worker_threads';
import { plainVerification, tryKeys } from '../application/DatasetVerifier';
import type { TrialAnswer, TrialRequest } from './VerificationPool';

parentPort?.on('message', (batch: TrialRequest[]) => {
  const answers = batch.map((r): TrialAnswer => {
    try {
      const t = tryKeys(r.ocmf, r.keys);
      return { id: r.id, trial: { first: plainVerification(t.first), ...(t.valid ? { valid: { v: plainVerification(t.valid.v), keyIndex: t.valid.keyIndex } } : {}) } };
    } catch (e) {
      return { id: r.id, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
    }
  });
  parentPort?.postMessage(answers);
});
