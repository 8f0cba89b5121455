import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import type { CurveInfo } from './Curve';
import type { EcPublicKey } from './EcPublicKey';
import { toP1363, type EcdsaSignature } from './EcdsaSignature';
import type { SignatureVerifier } from './SignatureVerifier';

const MAX_CACHED_KEYS = 4096;

/** Verifies through OpenSSL. Key objects are cached by key identity: importing costs more than verifying. */
export class NodeCryptoVerifier implements SignatureVerifier {
  readonly name = `node:crypto (OpenSSL ${process.versions.openssl})`;
  private readonly keys = new Map<string, KeyObject | null>();

  verify(curve: CurveInfo, key: EcPublicKey, message: Uint8Array, signature: EcdsaSignature): boolean {
    const keyObject = this.keyObject(curve, key);
    if (!keyObject) return false;
    try {
      // Strict DER goes to OpenSSL as received; anything else as r||s, so that OpenSSL never judges
      // the wrapping differently from @noble/curves.
      if (signature.der) return verify('sha256', message, keyObject, signature.der); // DER is the default encoding
      const p1363 = toP1363(signature, curve.byteLength);
      return p1363 !== undefined && verify('sha256', message, { key: keyObject, dsaEncoding: 'ieee-p1363' }, p1363);
    } catch {
      return false;
    }
  }

  acceptsKey(curve: CurveInfo, key: EcPublicKey): boolean {
    return this.keyObject(curve, key) !== null;
  }

  private keyObject(curve: CurveInfo, key: EcPublicKey): KeyObject | null {
    // Keys are checked against SA's curve before verification, so the key id alone identifies the entry.
    const cacheKey = key.curve ? key.id : `${curve.name}:${key.id}`;
    let k = this.keys.get(cacheKey);
    if (k === undefined) {
      k = importKey(curve, key);
      if (this.keys.size >= MAX_CACHED_KEYS) this.keys.delete(this.keys.keys().next().value as string);
      this.keys.set(cacheKey, k);
    }
    return k;
  }
}

function importKey(curve: CurveInfo, key: EcPublicKey): KeyObject | null {
  try {
    const spki = key.spki ?? spkiFor(curve, key.point);
    const k = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    return k.asymmetricKeyType === 'ec' ? k : null;
  } catch {
    return null;
  }
}

/** Wraps a bare SEC1 point in an SPKI so OpenSSL can import it. */
function spkiFor(curve: CurveInfo, point: Uint8Array): Uint8Array {
  const oid = Buffer.from(curve.oidHex, 'hex');
  const algo = Buffer.concat([Buffer.from([0x06, 0x07]), Buffer.from('2a8648ce3d0201', 'hex'), Buffer.from([0x06, oid.length]), oid]);
  const algoSeq = Buffer.concat([Buffer.from([0x30, algo.length]), algo]);
  const bits = Buffer.concat([Buffer.from([0x03, point.length + 1, 0x00]), Buffer.from(point)]);
  const body = Buffer.concat([algoSeq, bits]);
  return Buffer.concat([Buffer.from([0x30, body.length]), body]);
}
