import { createHash } from 'node:crypto';
import { verifyOcmf, type Verification } from '@metrology-ledger/ocmf';

/**
 * What ingest keeps of one signature check: plain values, so that it can come from another thread.
 * The signed payload itself is not kept: only its SHA-256 (`payloadSha256`, of a dataset that
 * verified), computed where the check ran, so a worker thread answers with a few short strings.
 */
export type DatasetVerification = Pick<Verification, 'verdict' | 'reason' | 'errorCode' | 'algorithm' | 'keyId' | 'pagination' | 'paginationCounter'> & {
  /** SHA-256 (hex) of the payload text as signed: set when the signature matched. */
  payloadSha256?: string;
};

/** A dataset tried under a station's keys: the first key's verdict, and the key it verified under if any. */
export interface KeyTrial {
  first: DatasetVerification;
  valid?: { v: DatasetVerification; keyIndex: number };
}

/**
 * Checks a dataset's signature under the station's registered keys, newest first, until one
 * verifies. In this thread (`IN_THREAD_VERIFIER`), or spread over worker threads
 * (infrastructure/VerificationPool): the pipeline awaits either and keeps the order of its appends.
 */
export interface DatasetVerifier {
  verify(ocmf: string, publicKeys: readonly string[]): KeyTrial | Promise<KeyTrial>;
}

/**
 * The keys tried in order; at least one key is given. Answers plain values (`plainVerification`);
 * when the first key verifies, `valid.v` is the same object as `first`.
 */
export function tryKeys(ocmf: string, publicKeys: readonly string[]): KeyTrial {
  let first: DatasetVerification | undefined;
  for (const [keyIndex, publicKey] of publicKeys.entries()) {
    const checked = verifyOcmf(ocmf, { publicKey });
    const v = plainVerification(checked);
    first ??= v;
    if (v.verdict === 'valid') return { first, valid: { v, keyIndex } };
  }
  return { first: first! };
}

/** The plain values of a verification (drops what is computed on demand; the payload as its hash), for a message between threads. */
export function plainVerification(v: Verification): DatasetVerification {
  const out: DatasetVerification = { verdict: v.verdict, reason: v.reason };
  if (v.errorCode !== undefined) out.errorCode = v.errorCode;
  if (v.algorithm !== undefined) out.algorithm = v.algorithm;
  if (v.keyId !== undefined) out.keyId = v.keyId;
  if (v.pagination !== undefined) out.pagination = v.pagination;
  if (v.paginationCounter !== undefined) out.paginationCounter = v.paginationCounter;
  if (v.verdict === 'valid' && v.payloadText !== undefined) out.payloadSha256 = createHash('sha256').update(v.payloadText, 'utf8').digest('hex');
  return out;
}

export const IN_THREAD_VERIFIER: DatasetVerifier = { verify: tryKeys };
