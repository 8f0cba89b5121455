import { base64ToBytes } from '../crypto/ByteEncoding';

/**
 * Some meters (the CP800 among them) write MS base64-encoded. Returns the decoded serial when MS is
 * base64 of mostly printable text (NUL padding shown as spaces), else undefined; MS itself is kept as signed.
 */
export function decodeMeterSerial(ms: string): string | undefined {
  if (ms.length < 8 || ms.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(ms)) return undefined;
  const bytes = base64ToBytes(ms);
  if (!bytes) return undefined;
  const printable = bytes.filter((b) => (b >= 0x20 && b < 0x7f) || b === 0).length;
  if (printable !== bytes.length) return undefined;
  const text = String.fromCharCode(...bytes).replace(/\0+/g, ' ').trim();
  return /^[\x20-\x7e]+$/.test(text) ? text : undefined;
}
