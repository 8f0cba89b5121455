import { createPublicKey, verify } from 'node:crypto';
import { p384 } from '@noble/curves/nist.js';
import { SeededRandom } from '../SeededRandom';
import { p384PublicPoint, StationSigningKey } from './StationSigningKey';

const SPKI_HEADER_HEX = '3076301006072a8648ce3d020106052b81040022036200';

describe('StationSigningKey', () => {
  it('derives the same public point as @noble/curves for the same private scalar', () => {
    const rng = new SeededRandom(2024);
    const scalars: Uint8Array[] = [Uint8Array.from({ length: 48 }, (_, i) => (i === 47 ? 1 : 0))]; // d = 1: the base point
    for (let i = 0; i < 200; i++) scalars.push(rng.bytes(48));
    for (const secret of scalars) {
      const noble = Buffer.from(p384.getPublicKey(secret, false)).toString('hex');
      expect(p384PublicPoint(secret).toString('hex')).toBe(noble);
      expect(StationSigningKey.fromPrivateScalar(secret, 'unsigned').publicKeySpkiHex).toBe(SPKI_HEADER_HEX + noble);
    }
  });

  it('keeps the leading zero bytes of a small scalar', () => {
    const secret = new Uint8Array(48);
    secret[40] = 0x12;
    secret[47] = 0x34;
    expect(p384PublicPoint(secret).toString('hex')).toBe(Buffer.from(p384.getPublicKey(secret, false)).toString('hex'));
  });

  it('gives a seed the same key every time, and the SPKI in hex and base64 says the same', () => {
    const a = StationSigningKey.generate(new SeededRandom(7), 'unsigned');
    const b = StationSigningKey.generate(new SeededRandom(7), 'rfc6979');
    expect(a.publicKeySpkiHex).toBe(b.publicKeySpkiHex);
    expect(Buffer.from(a.publicKeyBase64, 'base64').toString('hex')).toBe(a.publicKeySpkiHex);
    expect(createPublicKey({ key: Buffer.from(a.publicKeyBase64, 'base64'), format: 'der', type: 'spki' }).asymmetricKeyDetails?.namedCurve).toBe('secp384r1');
  });

  it('signs so that the derived public key verifies, with OpenSSL and with RFC 6979', () => {
    const data = Buffer.from('{"FV":"1.0","GI":"CP0001"}');
    for (const mode of ['openssl', 'rfc6979'] as const) {
      const key = StationSigningKey.generate(new SeededRandom(11), mode);
      const spki = createPublicKey({ key: Buffer.from(key.publicKeySpkiHex, 'hex'), format: 'der', type: 'spki' });
      expect(verify('sha256', data, { key: spki, dsaEncoding: 'der' }, key.sign(data))).toBe(true);
      expect(verify('sha256', Buffer.from('{"FV":"1.1"}'), { key: spki, dsaEncoding: 'der' }, key.sign(data))).toBe(false);
    }
  });

  it('refuses a scalar that is not a P-384 private key', () => {
    expect(() => StationSigningKey.fromPrivateScalar(new Uint8Array(48))).toThrow(RangeError);
    expect(() => StationSigningKey.fromPrivateScalar(new Uint8Array(32).fill(1))).toThrow(RangeError);
    expect(() => StationSigningKey.fromPrivateScalar(new Uint8Array(48).fill(0xff))).toThrow(RangeError);
  });
});
