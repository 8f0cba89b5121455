import type { CurveInfo } from './Curve';
import type { EcPublicKey } from './EcPublicKey';

/**
 * Checks one ECDSA-SHA256 signature. Implementations must agree bit for bit on every input
 * (a property test holds them to it): `node:crypto` for speed, `@noble/curves` for browsers.
 */
export interface SignatureVerifier {
  readonly name: string;
  /**
   * @param signature r||s (IEEE P1363), each half the curve size.
   * @returns true when the signature matches; false when it does not or the key is not a point
   *          of the curve (the caller checks the key first and reports that case itself).
   */
  verify(curve: CurveInfo, key: EcPublicKey, message: Uint8Array, signature: Uint8Array): boolean;
  /** Whether the key is a valid point of the curve. */
  acceptsKey(curve: CurveInfo, key: EcPublicKey): boolean;
}
