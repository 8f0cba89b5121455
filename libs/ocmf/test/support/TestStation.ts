import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { CURVES, type CurveName } from '../../src/crypto/Curve';
import { canonicalId } from '../../src/crypto/SignatureAlgorithm';
import { signOcmf } from '../../src/signOcmf';

/** A signing key of one curve, with its public key as SPKI hex, for tests. */
export class TestStation {
  readonly privateKey: KeyObject;
  readonly publicKeyHex: string;
  readonly publicKeyBase64: string;
  readonly algorithm: string;

  constructor(readonly curve: CurveName) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: CURVES[curve].opensslName });
    this.privateKey = privateKey;
    const der = publicKey.export({ format: 'der', type: 'spki' });
    this.publicKeyHex = der.toString('hex');
    this.publicKeyBase64 = der.toString('base64');
    this.algorithm = canonicalId(curve);
  }

  sign(payloadText: string, encoding: 'hex' | 'base64' | 'base 64' = 'hex'): string {
    return signOcmf(payloadText, this.privateKey, { algorithm: this.algorithm, encoding });
  }
}

export const ALL_CURVES: CurveName[] = Object.keys(CURVES) as CurveName[];

/** A typical payload: begin and end reading, as a CP800-like meter writes it. */
export function samplePayload(counter = 1, begin = 1.2345, end = 3.4567, tt = ''): string {
  return JSON.stringify({
    FV: '1.0',
    GI: 'CP0001',
    PG: `T${counter}-9876543210`,
    GV: 'lrs_ver: 1.0.0, sw_rel: 2024.05.00.423-alpha',
    MV: 'Chargepoint Inc.',
    MM: 'CPKM3000',
    MS: 'MjUxMzYyQjAwMDAxAAAAAHwzMS0wMDI3MDAtMDQtMDE=',
    IS: true,
    IT: 'ISO14443',
    ID: '1F2D3A4F',
    CI: '1',
    LC: { LU: 'uOhm', LR: 23000 },
    TT: tt,
    RD: [
      { TX: 'B', TM: '2025-06-03T07:48:45,000+0000 S', RU: 'kWh', RI: '1-b:1.8.0', RT: 'AC', RV: begin, CL: 0, ST: 'G' },
      { TX: 'E', TM: '2025-06-03T08:48:45,000+0000 S', RU: 'kWh', RI: '1-b:1.8.0', RT: 'AC', RV: end, CL: 0.0123, ST: 'G' },
    ],
  });
}
