import type { OcmfDataset } from './model/OcmfDataset';
import type { OcmfErrorCode } from './model/OcmfError';
import type { Conformance, OcmfFinding } from './model/OcmfFinding';

/**
 * `valid`: the signature matches the payload bytes under the given key.
 * `invalid`: the dataset is well-formed and the key usable, but the signature does not match.
 * `error`: the dataset could not be verified at all (malformed, unknown algorithm, bad key...).
 */
export type Verdict = 'valid' | 'invalid' | 'error';

export interface Verification {
  verdict: Verdict;
  /** One sentence a person can act on. */
  reason: string;
  /** For `error`: what kind of problem. */
  errorCode?: OcmfErrorCode;
  /** Canonical SA used, e.g. `ECDSA-secp384r1-SHA256`. */
  algorithm?: string;
  /** PG as written. */
  pagination?: string;
  /** The pagination counter, decimal text. */
  paginationCounter?: string;
  /** Curve named by the key. */
  keyCurve?: string;
  /** Identity of the key (SPKI hex), so a ledger can record which key produced the verdict. */
  keyId?: string;
  /** Which implementation checked the signature. */
  verifier: string;
  /** The signed payload text, exactly as received (absent when the sections could not be split). */
  payloadText?: string;
  findings: OcmfFinding[];
  conformance?: Conformance;
  dataset?: OcmfDataset;
}
