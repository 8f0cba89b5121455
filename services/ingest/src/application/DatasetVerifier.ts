import { verifyOcmf, type Verification } from '@metrology-ledger/ocmf';

/** What ingest keeps of one signature check: plain values, so that it can come from another thread. */
export type DatasetVerification = Pick<Verification, 'verdict' | 'reason' | 'errorCode' | 'algorithm' | 'keyId' | 'pagination' | 'paginationCounter' | 'payloadText'>;

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

/** The keys tried in order; at least one key is given. */
export function tryKeys(ocmf: string, publicKeys: readonly string[]): KeyTrial {
  let first: Verification | undefined;
  for (const [keyIndex, publicKey] of publicKeys.entries()) {
    const v = verifyOcmf(ocmf, { publicKey });
    first ??= v;
    if (v.verdict === 'valid') return { first, valid: { v, keyIndex } };
  }
  return { first: first! };
}

/** The plain values of a verification (drops what is computed on demand), for a message between threads. */
export function plainVerification(v: DatasetVerification): DatasetVerification {
  const out: DatasetVerification = { verdict: v.verdict, reason: v.reason };
  if (v.errorCode !== undefined) out.errorCode = v.errorCode;
  if (v.algorithm !== undefined) out.algorithm = v.algorithm;
  if (v.keyId !== undefined) out.keyId = v.keyId;
  if (v.pagination !== undefined) out.pagination = v.pagination;
  if (v.paginationCounter !== undefined) out.paginationCounter = v.paginationCounter;
  if (v.payloadText !== undefined) out.payloadText = v.payloadText;
  return out;
}

export const IN_THREAD_VERIFIER: DatasetVerifier = { verify: tryKeys };
