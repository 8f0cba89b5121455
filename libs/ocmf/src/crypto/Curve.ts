/**
 * The elliptic curves OCMF names (spec table 22/23), with their ASN.1 object identifiers
 * (as DER content bytes, hex) and OpenSSL names.
 */
export type CurveName =
  | 'secp192k1'
  | 'secp192r1'
  | 'secp256k1'
  | 'secp256r1'
  | 'secp384r1'
  | 'brainpoolP256r1'
  | 'brainpoolP384r1';

export interface CurveInfo {
  name: CurveName;
  /** Name OpenSSL (node:crypto) knows the curve by. */
  opensslName: string;
  /** DER content of the curve's OID, hex. */
  oidHex: string;
  /** Size of a field element / scalar in bytes. */
  byteLength: number;
}

export const CURVES: Record<CurveName, CurveInfo> = {
  secp192k1: { name: 'secp192k1', opensslName: 'secp192k1', oidHex: '2b8104001f', byteLength: 24 },
  secp192r1: { name: 'secp192r1', opensslName: 'prime192v1', oidHex: '2a8648ce3d030101', byteLength: 24 },
  secp256k1: { name: 'secp256k1', opensslName: 'secp256k1', oidHex: '2b8104000a', byteLength: 32 },
  secp256r1: { name: 'secp256r1', opensslName: 'prime256v1', oidHex: '2a8648ce3d030107', byteLength: 32 },
  secp384r1: { name: 'secp384r1', opensslName: 'secp384r1', oidHex: '2b81040022', byteLength: 48 },
  brainpoolP256r1: { name: 'brainpoolP256r1', opensslName: 'brainpoolP256r1', oidHex: '2b2403030208010107', byteLength: 32 },
  brainpoolP384r1: { name: 'brainpoolP384r1', opensslName: 'brainpoolP384r1', oidHex: '2b240303020801010b', byteLength: 48 },
};

export function curveByOid(oidHex: string): CurveInfo | undefined {
  return Object.values(CURVES).find((c) => c.oidHex === oidHex);
}
