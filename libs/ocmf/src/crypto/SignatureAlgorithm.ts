import { CURVES, type CurveInfo, type CurveName } from './Curve';
import { quoteBounded } from '../model/quoteBounded';

/** OCMF's default when SA is absent (spec table 22: default since OCMF 0.4). */
export const DEFAULT_SIGNATURE_ALGORITHM = 'ECDSA-secp256r1-SHA256';

export interface SignatureAlgorithm {
  /** Canonical OCMF identifier, e.g. `ECDSA-secp384r1-SHA256`. */
  id: string;
  curve: CurveInfo;
  hash: 'SHA-256';
}

export type AlgorithmResolution = { ok: true; algorithm: SignatureAlgorithm } | { ok: false; reason: string };

// The spec writes brainpool256r1 in the SA table; meters and the transparency software also write
// brainpoolP256r1. Both spellings name the same curve.
const CURVE_SPELLINGS: Record<string, CurveName> = {
  secp192k1: 'secp192k1',
  secp192r1: 'secp192r1',
  prime192v1: 'secp192r1',
  secp256k1: 'secp256k1',
  secp256r1: 'secp256r1',
  prime256v1: 'secp256r1',
  secp384r1: 'secp384r1',
  brainpool256r1: 'brainpoolP256r1',
  brainpoolp256r1: 'brainpoolP256r1',
  brainpool384r1: 'brainpoolP384r1',
  brainpoolp384r1: 'brainpoolP384r1',
};

const SA = /^ECDSA-([A-Za-z0-9]+)-SHA-?256$/i;

export function resolveSignatureAlgorithm(sa: string | undefined): AlgorithmResolution {
  const text = sa ?? DEFAULT_SIGNATURE_ALGORITHM;
  const m = SA.exec(text.trim());
  const curveName = m ? CURVE_SPELLINGS[m[1].toLowerCase()] : undefined;
  if (!curveName) {
    return {
      ok: false,
      reason: `signature algorithm ${quoteBounded(text)} is not one OCMF defines (ECDSA-<curve>-SHA256 with secp192k1, secp192r1, secp256k1, secp256r1, secp384r1, brainpool256r1, brainpool384r1)`,
    };
  }
  const curve = CURVES[curveName];
  return { ok: true, algorithm: { id: canonicalId(curveName), curve, hash: 'SHA-256' } };
}

export function canonicalId(curve: CurveName): string {
  const spec = curve === 'brainpoolP256r1' ? 'brainpool256r1' : curve === 'brainpoolP384r1' ? 'brainpool384r1' : curve;
  return `ECDSA-${spec}-SHA256`;
}
