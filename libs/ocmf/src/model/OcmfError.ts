/**
 * Why a dataset could not be verified. Every failure of the library is one of these codes with a
 * sentence a person can act on; no untyped exception leaves the library.
 */
export type OcmfErrorCode =
  | 'too-large'
  | 'not-ocmf'
  | 'malformed-sections'
  | 'malformed-json'
  | 'missing-field'
  | 'bad-field'
  | 'unknown-algorithm'
  | 'unsupported-encoding'
  | 'malformed-signature'
  | 'bad-key'
  | 'key-mismatch'
  | 'no-key'
  | 'malformed-container';

export interface OcmfError {
  code: OcmfErrorCode;
  reason: string;
}

export function ocmfError(code: OcmfErrorCode, reason: string): OcmfError {
  return { code, reason };
}
