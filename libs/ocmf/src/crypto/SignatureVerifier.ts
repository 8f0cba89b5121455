import type { CurveInfo } from './Curve';
import type { EcPublicKey } from './EcPublicKey';
import type { EcdsaSignature } from './EcdsaSignature';

/**
 * Checks one ECDSA-SHA256 signature. Implementations must agree bit for bit on every input
 * (a property test holds them to it): `node:crypto` for speed, `@noble/curves` for browsers.
 */
export interface SignatureVerifier {
  readonly name: string;
  /**
   * @param signature r and s as decoded from SD (and the strict DER bytes, when they were strict).
   * @returns true when the signature matches; false when it does not, when r or s do not fit the
   *          curve, or when the key is not a point of the curve (the caller checks the key first
   *          and reports that case itself).
   */
  verify(curve: CurveInfo, key: EcPublicKey, message: Uint8Array, signature: EcdsaSignature): boolean;
  /** Whether the key is a valid point of the curve. */
  acceptsKey(curve: CurveInfo, key: EcPublicKey): boolean;
}
