/**
 * A bounds-checked reader for the few DER structures OCMF needs (SubjectPublicKeyInfo and
 * ECDSA-Sig-Value). Every read returns undefined instead of reading past the end.
 */
export interface Tlv {
  tag: number;
  /** Offset of the value's first byte. */
  start: number;
  /** Offset after the value. */
  end: number;
  /** True when the length was not written in its shortest form (BER, not DER). */
  nonMinimalLength: boolean;
}

export function readTlv(bytes: Uint8Array, offset: number, limit = bytes.length): Tlv | undefined {
  if (offset + 2 > limit) return undefined;
  const tag = bytes[offset];
  let len = bytes[offset + 1];
  let start = offset + 2;
  let nonMinimalLength = false;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 4 || start + n > limit) return undefined;
    len = 0;
    for (let i = 0; i < n; i++) len = len * 256 + bytes[start + i];
    nonMinimalLength = len < 0x80 || bytes[start] === 0;
    start += n;
  }
  const end = start + len;
  if (end > limit) return undefined;
  return { tag, start, end, nonMinimalLength };
}
