import { base64ToBytes, hexToBytes } from './ByteEncoding';
import { readTlv } from './DerReader';
import { quoteBounded } from '../model/quoteBounded';

/** An ECDSA signature as the two integers r and s, big-endian without leading zeros. */
export interface EcdsaSignature {
  r: Uint8Array;
  s: Uint8Array;
  /** Where the encoding departs from strict DER but is still unambiguous. */
  deviations: string[];
  /** The DER bytes as received, present only when they are strict DER (then any verifier may use them as-is). */
  der?: Uint8Array;
}

export type SignatureDecoding = { ok: true; signature: EcdsaSignature } | { ok: false; reason: string };

/**
 * Decodes SD according to SE (hex by default; base64; the CP800 writes "base 64") and SM
 * (application/x-der by default). Non-minimal integer encodings are accepted with a deviation,
 * because both verifiers then receive the same (r, s): a signature is never judged by its wrapping.
 */
export function decodeSignatureData(sd: string, se?: string, sm?: string): SignatureDecoding {
  const encoding = se === undefined || se === 'hex' ? 'hex' : se.toLowerCase().replace(/[\s_-]+/g, '');
  let bytes: Uint8Array | undefined;
  if (encoding === 'hex') bytes = hexToBytes(sd) ?? hexToBytes(sd.replace(/\s+/g, ''));
  else if (encoding === 'base64') bytes = base64ToBytes(sd);
  else return { ok: false, reason: `signature encoding SE ${quoteBounded(String(se))} is not hex or base64` };
  if (!bytes) return { ok: false, reason: `SD is not valid ${encoding}` };
  if (sm !== undefined && sm.toLowerCase() !== 'application/x-der') {
    return { ok: false, reason: `signature mime type SM ${quoteBounded(sm)} is not application/x-der` };
  }
  return decodeDerSignature(bytes);
}

export function decodeDerSignature(bytes: Uint8Array): SignatureDecoding {
  const deviations: string[] = [];
  const seq = readTlv(bytes, 0);
  if (!seq || seq.tag !== 0x30) {
    const rawRs = bytes.length === 48 || bytes.length === 64 || bytes.length === 96;
    return {
      ok: false,
      reason:
        `SD (${bytes.length} bytes) is not a DER ECDSA-Sig-Value: it does not start with a SEQUENCE, and SM application/x-der ` +
        `(the default, OCMF Tab. 8) requires one` +
        (rawRs
          ? `. ${bytes.length} bytes is the size of a bare r||s (IEEE P1363), which the S.A.F.E. transparency software refuses as well ` +
            '("Invalid length of asn1Signature"): the meter or gateway must DER-encode (r, s)'
          : ''),
    };
  }
  if (seq.end !== bytes.length) return { ok: false, reason: 'SD has bytes after the DER signature' };
  if (seq.nonMinimalLength) deviations.push('DER length not in shortest form');
  const r = readInteger(bytes, seq.start, seq.end, 'r', deviations);
  if (typeof r === 'string') return { ok: false, reason: r };
  const s = readInteger(bytes, r.next, seq.end, 's', deviations);
  if (typeof s === 'string') return { ok: false, reason: s };
  if (s.next !== seq.end) return { ok: false, reason: 'DER signature has extra elements after r and s' };
  const signature: EcdsaSignature = { r: r.value, s: s.value, deviations };
  if (deviations.length === 0) signature.der = bytes;
  return { ok: true, signature };
}

function readInteger(
  bytes: Uint8Array,
  offset: number,
  limit: number,
  name: string,
  deviations: string[],
): { value: Uint8Array; next: number } | string {
  const t = readTlv(bytes, offset, limit);
  if (!t || t.tag !== 0x02) return `DER signature: ${name} is not an INTEGER`;
  if (t.end === t.start) return `DER signature: ${name} is empty`;
  if (bytes[t.start] & 0x80) return `DER signature: ${name} is negative`;
  if (t.nonMinimalLength) deviations.push(`${name}: DER length not in shortest form`);
  let i = t.start;
  while (i < t.end - 1 && bytes[i] === 0) i++;
  const leading = i - t.start;
  if (leading > 1 || (leading === 1 && !(bytes[i] & 0x80))) deviations.push(`${name}: integer has superfluous leading zeros`);
  return { value: bytes.subarray(i, t.end), next: t.end };
}

/** r||s, each left-padded to the curve size (IEEE P1363), or undefined when one does not fit. */
export function toP1363(sig: EcdsaSignature, byteLength: number): Uint8Array | undefined {
  const r = sig.r;
  if (r.length > byteLength || sig.s.length > byteLength) return undefined;
  const out = new Uint8Array(2 * byteLength);
  out.set(r, byteLength - r.length);
  out.set(sig.s, 2 * byteLength - sig.s.length);
  return out;
}
