import { createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { bytesToBase64, bytesToHex } from './crypto/ByteEncoding';
import { resolveSignatureAlgorithm } from './crypto/SignatureAlgorithm';

export interface OcmfSigningOptions {
  /** SA to write, e.g. `ECDSA-secp384r1-SHA256`; must match the key's curve. */
  algorithm: string;
  /** SE to write. `base 64` reproduces the CP800's spelling. Default hex. */
  encoding?: 'hex' | 'base64' | 'base 64';
  /** Write SA/SE even where they equal the defaults. Default true. */
  explicit?: boolean;
  /** Separator the signature section uses after commas, `''` or `' '` (the CP800 writes a space). */
  signatureSpacing?: '' | ' ';
}

/** Any signer that returns a DER ECDSA signature over SHA-256 of the data (a meter model's key, an HSM…). */
export type OcmfSigner = (data: Uint8Array) => Uint8Array;

/**
 * Signs a payload text as given (no re-serialisation: what is signed is exactly what is written)
 * and returns the complete dataset `OCMF|<payload>|<signature>`. Node only.
 */
export function signOcmf(payloadText: string, privateKey: KeyObject | string | OcmfSigner, options: OcmfSigningOptions): string {
  const alg = resolveSignatureAlgorithm(options.algorithm);
  if (!alg.ok) throw new TypeError(alg.reason);
  const data = Buffer.from(payloadText, 'utf8');
  const der =
    typeof privateKey === 'function'
      ? privateKey(data)
      : sign('sha256', data, { key: typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey, dsaEncoding: 'der' });
  const encoding = options.encoding ?? 'hex';
  const sd = encoding === 'hex' ? bytesToHex(der).toUpperCase() : bytesToBase64(der);
  const sp = options.signatureSpacing ?? '';
  const parts: string[] = [];
  if (options.explicit !== false || alg.algorithm.id !== 'ECDSA-secp256r1-SHA256') {
    parts.push(`"SA":${JSON.stringify(options.algorithm)}`);
  }
  parts.push(`"SD":${JSON.stringify(sd)}`);
  if (options.explicit !== false || encoding !== 'hex') parts.push(`"SE":${JSON.stringify(encoding)}`);
  return `OCMF|${payloadText}|{${parts.join(`,${sp}`)}}`;
}
