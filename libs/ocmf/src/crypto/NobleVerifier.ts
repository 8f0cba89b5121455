import { ecdsa, weierstrass, type ECDSA } from '@noble/curves/abstract/weierstrass.js';
import { brainpoolP256r1, brainpoolP384r1 } from '@noble/curves/misc.js';
import { p256, p384 } from '@noble/curves/nist.js';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { CurveInfo, CurveName } from './Curve';
import type { EcPublicKey } from './EcPublicKey';
import { toP1363, type EcdsaSignature } from './EcdsaSignature';
import type { SignatureVerifier } from './SignatureVerifier';

// secp192k1 and secp192r1 are not shipped by @noble/curves; their domain parameters are those of
// SEC 2 v2 (sections 2.2.1 and 2.2.2).
const secp192k1 = ecdsa(
  weierstrass({
    p: 0xfffffffffffffffffffffffffffffffffffffffeffffee37n,
    n: 0xfffffffffffffffffffffffe26f2fc170f69466a74defd8dn,
    h: 1n,
    a: 0n,
    b: 3n,
    Gx: 0xdb4ff10ec057e9ae26b07d0280b7f4341da5d1b1eae06c7dn,
    Gy: 0x9b2f2f6d9c5628a7844163d015be86344082aa88d95e2f9dn,
  }),
  sha256,
);
const secp192r1 = ecdsa(
  weierstrass({
    p: 0xfffffffffffffffffffffffffffffffeffffffffffffffffn,
    n: 0xffffffffffffffffffffffff99def836146bc9b1b4d22831n,
    h: 1n,
    a: 0xfffffffffffffffffffffffffffffffefffffffffffffffcn,
    b: 0x64210519e59c80e70fa7e9ab72243049feb8deecc146b9b1n,
    Gx: 0x188da80eb03090f67cbf20eb43a18800f4ff0afd82ff1012n,
    Gy: 0x07192b95ffc8da78631011ed6b24cdd573f977a11e794811n,
  }),
  sha256,
);

const IMPLEMENTATIONS: Record<CurveName, ECDSA> = {
  secp192k1,
  secp192r1,
  secp256k1,
  secp256r1: p256,
  secp384r1: p384,
  brainpoolP256r1,
  brainpoolP384r1,
};

/** The @noble/curves implementation of a curve (tests use it to forge high-S signatures). */
export function nobleCurve(name: CurveName): ECDSA {
  return IMPLEMENTATIONS[name];
}

/**
 * Pure-JS verification with @noble/curves, so the same library verifies in a browser.
 * The message is hashed with SHA-256 here and passed pre-hashed: OCMF uses SHA-256 on every curve,
 * also on P-384 whose noble default hash would be SHA-384. High S is accepted (lowS: false):
 * meters do not normalise S and such a signature is valid ECDSA.
 */
export class NobleVerifier implements SignatureVerifier {
  readonly name = '@noble/curves';

  verify(curve: CurveInfo, key: EcPublicKey, message: Uint8Array, signature: EcdsaSignature): boolean {
    const p1363 = toP1363(signature, curve.byteLength);
    if (!p1363) return false;
    try {
      return IMPLEMENTATIONS[curve.name].verify(p1363, sha256(message), key.point, {
        prehash: false,
        lowS: false,
        format: 'compact',
      });
    } catch {
      return false;
    }
  }

  acceptsKey(curve: CurveInfo, key: EcPublicKey): boolean {
    try {
      IMPLEMENTATIONS[curve.name].Point.fromBytes(key.point).assertValidity();
      return true;
    } catch {
      return false;
    }
  }
}
