// Browser entry: the core with the pure-JS verifier; nothing here needs Node.
import { NobleVerifier } from './crypto/NobleVerifier';
import type { EcPublicKey } from './crypto/EcPublicKey';
import type { Verification } from './Verification';
import { verifyOcmf as verifyWith } from './verifyOcmf';

export * from './core';

const noble = new NobleVerifier();

export function verifyOcmf(input: string, options: { publicKey?: string | EcPublicKey } = {}): Verification {
  return verifyWith(input, { ...options, verifier: noble });
}
