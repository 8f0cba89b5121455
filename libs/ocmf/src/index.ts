// Node entry: the core plus the OpenSSL fast path (default verifier) and signing.
import { NodeCryptoVerifier } from './crypto/NodeCryptoVerifier';
import type { SignatureVerifier } from './crypto/SignatureVerifier';
import type { ValidationProfile } from './model/OcmfFinding';
import type { EcPublicKey } from './crypto/EcPublicKey';
import type { Verification } from './Verification';
import { verifyOcmf as verifyWith } from './verifyOcmf';

export * from './core';
export { NodeCryptoVerifier } from './crypto/NodeCryptoVerifier';
export { signOcmf, type OcmfSigner, type OcmfSigningOptions } from './signOcmf';

export const defaultVerifier: SignatureVerifier = new NodeCryptoVerifier();

export interface VerifyOcmfOptions {
  publicKey?: string | EcPublicKey;
  verifier?: SignatureVerifier;
  profile?: ValidationProfile;
}

/** Verifies one OCMF dataset; OpenSSL unless another verifier is given. */
export function verifyOcmf(input: string, options: VerifyOcmfOptions = {}): Verification {
  return verifyWith(input, { ...options, verifier: options.verifier ?? defaultVerifier });
}
