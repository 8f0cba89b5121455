import { createECDH, createPrivateKey, sign, type KeyObject } from 'node:crypto';
import { p384 } from '@noble/curves/nist.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { SeededRandom } from '../SeededRandom';

export const CP800_SIGNATURE_ALGORITHM = 'ECDSA-secp384r1-SHA256';

/** SPKI for P-384: a fixed 23-byte header, then the uncompressed point. */
const SPKI_HEADER = Buffer.from('3076301006072a8648ce3d020106052b81040022036200', 'hex');

let baseTablesReady = false;
/** A window of 8 bits for the base point makes RFC 6979 signing faster; built once, and only when that mode signs. */
function withBaseTables(): void {
  if (baseTablesReady) return;
  p384.Point.BASE.precompute(8, false);
  baseTablesReady = true;
}

/**
 * The uncompressed public point (0x04 || X || Y) of a private scalar, computed by OpenSSL (node:crypto):
 * the same point as @noble/curves' `p384.getPublicKey(secret, false)` (a spec holds them equal), without
 * the base-point tables a fast pure-JS derivation needs and without its garbage, which matters for a
 * fleet of tens of thousands of keys.
 */
export function p384PublicPoint(secret: Uint8Array): Buffer {
  const ecdh = createECDH('secp384r1');
  ecdh.setPrivateKey(secret);
  return ecdh.getPublicKey(null, 'uncompressed');
}

/** A well-formed DER signature (r = s = 1) that never verifies: marks output made without signing. */
const UNSIGNED_PLACEHOLDER = Uint8Array.from([0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01]);
const UNSIGNED_PLACEHOLDER_BASE64 = Buffer.from(UNSIGNED_PLACEHOLDER).toString('base64');

/**
 * `openssl`: node:crypto, fast, random k. `rfc6979`: @noble/curves, deterministic bytes, slower.
 * `unsigned`: a fixed placeholder instead of a signature, only to measure generation without signing.
 */
export type SigningMode = 'openssl' | 'rfc6979' | 'unsigned';

/**
 * The station's P-384 key pair (the CP800 signs OCMF and its metrology log with ECDSA-secp384r1-SHA256).
 * The private scalar comes from the seeded stream, so a seed gives the same keys every run.
 * Signing: OpenSSL by default (fast; ECDSA's random k makes signature bytes differ run to run, as on
 * the real station); `deterministic` uses RFC 6979 through @noble/curves (slower, identical bytes).
 */
export class StationSigningKey {
  private privateKey: KeyObject | undefined;
  private readonly secret: Uint8Array;
  private spki: Buffer | undefined;
  private spkiHex: string | undefined;

  private constructor(secret: Uint8Array, readonly mode: SigningMode) {
    this.secret = secret;
  }

  static generate(rng: SeededRandom, mode: SigningMode = 'openssl'): StationSigningKey {
    const n = p384.Point.Fn.ORDER;
    for (;;) {
      const bytes = rng.bytes(48);
      const d = BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
      if (d > 0n && d < n) return new StationSigningKey(bytes, mode);
    }
  }

  /** The key of a given private scalar (48 bytes, 0 < d < n). */
  static fromPrivateScalar(secret: Uint8Array, mode: SigningMode = 'openssl'): StationSigningKey {
    const d = BigInt(`0x${Buffer.from(secret).toString('hex')}`);
    if (secret.length !== 48 || d <= 0n || d >= p384.Point.Fn.ORDER) throw new RangeError('a P-384 private scalar is 48 bytes, 0 < d < n');
    return new StationSigningKey(Uint8Array.from(secret), mode);
  }

  /** The public key as SPKI DER, hex. Derived on first use: a key that only signs (or never does) need not pay for it. */
  get publicKeySpkiHex(): string {
    return (this.spkiHex ??= this.spkiDer().toString('hex'));
  }

  /** The public key as SPKI DER, base64. */
  get publicKeyBase64(): string {
    return this.spkiDer().toString('base64');
  }

  private spkiDer(): Buffer {
    return (this.spki ??= Buffer.concat([SPKI_HEADER, p384PublicPoint(this.secret)]));
  }

  /** ECDSA-SHA256 over the bytes, DER-encoded. */
  sign(data: Uint8Array): Uint8Array {
    if (this.mode === 'rfc6979') {
      withBaseTables();
      return p384.sign(sha256(data), this.secret, { prehash: false, format: 'der', lowS: false });
    }
    if (this.mode === 'unsigned') return UNSIGNED_PLACEHOLDER;
    return sign('sha256', data, { key: this.openSslKey(), dsaEncoding: 'der' });
  }

  /** ECDSA-SHA256 over the UTF-8 bytes of a text, DER-encoded, in base64. */
  signTextBase64(text: string): string {
    if (this.mode === 'unsigned') return UNSIGNED_PLACEHOLDER_BASE64;
    return Buffer.from(this.sign(Buffer.from(text, 'utf8'))).toString('base64');
  }

  /** Imported on first use: a fleet of thousands of stations need not pay for keys it never signs with. */
  private openSslKey(): KeyObject {
    if (!this.privateKey) {
      const b64url = (b: Uint8Array) => Buffer.from(b).toString('base64url');
      const point = this.spkiDer().subarray(SPKI_HEADER.length); // 0x04 || X || Y
      this.privateKey = createPrivateKey({
        key: { kty: 'EC', crv: 'P-384', d: b64url(this.secret), x: b64url(point.subarray(1, 49)), y: b64url(point.subarray(49)) },
        format: 'jwk',
      });
    }
    return this.privateKey;
  }
}
