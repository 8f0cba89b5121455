import { base64ToBytes, bytesToHex, hexToBytes, utf8Text } from './ByteEncoding';
import { curveByOid, type CurveInfo } from './Curve';
import { readTlv } from './DerReader';
import { quoteBounded } from '../model/quoteBounded';

/** An EC public key as registered for a station. */
export interface EcPublicKey {
  /** The curve named in the SPKI; undefined for a bare point (curve then comes from SA). */
  curve?: CurveInfo;
  /** SEC1 point, 0x04||X||Y or compressed. */
  point: Uint8Array;
  /** SubjectPublicKeyInfo DER, when the key was given as one. */
  spki?: Uint8Array;
  /** Lower-case hex of the SPKI (or the point): a stable identity for registries and caches. */
  id: string;
}

export type KeyDecoding = { ok: true; key: EcPublicKey } | { ok: false; reason: string };

const EC_PUBLIC_KEY_OID = '2a8648ce3d0201';
/** Far above any EC SPKI (P-384 is 120 bytes); bounds the work on hostile input. */
const MAX_KEY_CHARS = 4096;

/**
 * Reads a public key written as SPKI DER in hex (spaces and colons allowed) or base64, PEM,
 * the OCA form `oca:base16:asn1:<hex>` (also `oca:base64:asn1:<b64>`) used with OCPP, or a bare
 * uncompressed SEC1 point in hex.
 */
export function decodePublicKey(text: string): KeyDecoding {
  if (typeof text !== 'string') return { ok: false, reason: 'public key is not text' };
  if (text.length > MAX_KEY_CHARS) return { ok: false, reason: `public key is longer than ${MAX_KEY_CHARS} characters` };
  let t = text.trim();
  let bytes: Uint8Array | undefined;
  const oca = /^oca:(base16|base64):asn1:(.*)$/is.exec(t);
  if (oca) {
    bytes = oca[1].toLowerCase() === 'base16' ? hexToBytes(oca[2].replace(/\s+/g, '')) : base64ToBytes(oca[2]);
    if (!bytes) return { ok: false, reason: `OCA key ${quoteBounded(t)} does not decode as ${oca[1]}` };
  } else if (t.startsWith('-----BEGIN')) {
    t = t.replace(/-----(BEGIN|END) [A-Z ]+-----/g, '');
    bytes = base64ToBytes(t);
  } else {
    const compact = t.replace(/[\s:]+/g, '');
    bytes = /^[0-9a-fA-F]+$/.test(compact) ? hexToBytes(compact) : base64ToBytes(compact);
    // A base64 OCA string wrapped once more in base64 (seen in OCPP publicKey fields).
    const inner = bytes && bytes[0] === 0x6f /* o */ ? utf8Text(bytes) : undefined;
    if (inner && inner.startsWith('oca:')) return decodePublicKey(inner);
  }
  if (!bytes || bytes.length === 0) return { ok: false, reason: 'public key is neither hex nor base64' };
  return decodePublicKeyBytes(bytes);
}

export function decodePublicKeyBytes(bytes: Uint8Array): KeyDecoding {
  if (bytes[0] === 0x04 && (bytes.length === 49 || bytes.length === 65 || bytes.length === 97)) {
    return { ok: true, key: { point: bytes, id: bytesToHex(bytes) } };
  }
  const spki = readTlv(bytes, 0, Number.MAX_SAFE_INTEGER);
  // The header is read without the length bound so that a truncated key is named as such.
  if (!spki || spki.tag !== 0x30 || bytes.length < 2 || !Number.isFinite(spki.end)) {
    return { ok: false, reason: 'public key is not a DER SubjectPublicKeyInfo' };
  }
  if (spki.end !== bytes.length) {
    return {
      ok: false,
      reason: `public key is ${bytes.length} bytes but its DER structure says ${spki.end}: truncated or padded`,
    };
  }
  const algo = readTlv(bytes, spki.start, spki.end);
  if (!algo || algo.tag !== 0x30) return { ok: false, reason: 'SPKI has no AlgorithmIdentifier' };
  const algOid = readTlv(bytes, algo.start, algo.end);
  if (!algOid || algOid.tag !== 0x06) return { ok: false, reason: 'SPKI AlgorithmIdentifier has no OID' };
  if (bytesToHex(bytes.subarray(algOid.start, algOid.end)) !== EC_PUBLIC_KEY_OID) {
    return { ok: false, reason: 'public key is not an elliptic-curve key (id-ecPublicKey)' };
  }
  const curveOid = readTlv(bytes, algOid.end, algo.end);
  if (!curveOid || curveOid.tag !== 0x06) {
    return { ok: false, reason: 'EC key does not name its curve (explicit curve parameters are not supported)' };
  }
  const oidHex = bytesToHex(bytes.subarray(curveOid.start, curveOid.end));
  const curve = curveByOid(oidHex);
  if (!curve) return { ok: false, reason: `EC key uses a curve OCMF does not define (OID ${oidHex})` };
  const bits = readTlv(bytes, algo.end, spki.end);
  if (!bits || bits.tag !== 0x03 || bits.end !== spki.end) return { ok: false, reason: 'SPKI has no public key bit string' };
  if (bytes[bits.start] !== 0) return { ok: false, reason: 'public key bit string has unused bits' };
  const point = bytes.subarray(bits.start + 1, bits.end);
  const n = curve.byteLength;
  const okLength = (point[0] === 0x04 && point.length === 1 + 2 * n) || ((point[0] === 0x02 || point[0] === 0x03) && point.length === 1 + n);
  if (!okLength) return { ok: false, reason: `public key point has the wrong length for ${curve.name}` };
  return { ok: true, key: { curve, point, spki: bytes, id: bytesToHex(bytes) } };
}
