import { ALL_CURVES, samplePayload, TestStation } from '../test/support/TestStation';
import { base64ToBytes, bytesToBase64, bytesToHex } from './crypto/ByteEncoding';
import { CURVES } from './crypto/Curve';
import { decodeSignatureData, toP1363 } from './crypto/EcdsaSignature';
import { nobleCurve, NobleVerifier } from './crypto/NobleVerifier';
import { NodeCryptoVerifier } from './crypto/NodeCryptoVerifier';
import { verifyOcmf } from './verifyOcmf';
import { splitOcmf } from './OcmfSections';

const verifiers = [new NodeCryptoVerifier(), new NobleVerifier()];

describe.each(verifiers.map((v) => [v.name, v] as const))('verifyOcmf with %s', (_name, verifier) => {
  describe.each(ALL_CURVES)('on %s', (curve) => {
    const station = new TestStation(curve);
    const other = new TestStation(curve);
    const dataset = station.sign(samplePayload(3));

    it('answers valid for a dataset signed by the key', () => {
      const v = verifyOcmf(dataset, { publicKey: station.publicKeyHex, verifier });
      expect(v.verdict).toBe('valid');
      expect(v.algorithm).toBe(station.algorithm);
      expect(v.paginationCounter).toBe('3');
    });

    it('answers invalid under another key of the same curve', () => {
      expect(verifyOcmf(dataset, { publicKey: other.publicKeyHex, verifier }).verdict).toBe('invalid');
    });

    it('answers invalid when one payload character changed', () => {
      const tampered = dataset.replace('"RV":3.4567', '"RV":3.4568');
      expect(tampered).not.toBe(dataset);
      expect(verifyOcmf(tampered, { publicKey: station.publicKeyHex, verifier }).verdict).toBe('invalid');
    });

    it('verifies a signature whose S is above n/2 (meters do not normalise S)', () => {
      const split = splitOcmf(dataset);
      if (!split.ok) throw new Error('split');
      const sd = JSON.parse(split.sections.signatureText).SD as string;
      const sig = decodeSignatureData(sd, 'hex');
      if (!sig.ok) throw new Error(sig.reason);
      const n = nobleCurve(curve).Point.Fn.ORDER;
      const s = BigInt(`0x${bytesToHex(sig.signature.s)}`);
      const highS = s > n / 2n ? s : n - s;
      expect(highS > n / 2n).toBe(true);
      const der = derSignature(BigInt(`0x${bytesToHex(sig.signature.r)}`), highS);
      const mirrored = dataset.replace(sd, bytesToHex(der).toUpperCase());
      expect(verifyOcmf(mirrored, { publicKey: station.publicKeyHex, verifier }).verdict).toBe('valid');
    });
  });

  const p384 = new TestStation('secp384r1');

  it.each(['hex', 'base64', 'base 64'] as const)('reads SE %j', (encoding) => {
    const d = p384.sign(samplePayload(), encoding);
    expect(verifyOcmf(d, { publicKey: p384.publicKeyBase64, verifier }).verdict).toBe('valid');
  });

  it('reads the key as hex, base64, PEM, OCA base16 and OCA wrapped in base64', () => {
    const d = p384.sign(samplePayload());
    const pem = `-----BEGIN PUBLIC KEY-----\n${p384.publicKeyBase64}\n-----END PUBLIC KEY-----`;
    const oca = `oca:base16:asn1:${p384.publicKeyHex}`;
    const ocaB64 = bytesToBase64(new TextEncoder().encode(oca));
    for (const key of [p384.publicKeyHex, p384.publicKeyHex.toUpperCase(), p384.publicKeyBase64, pem, oca, ocaB64]) {
      expect(verifyOcmf(d, { publicKey: key, verifier }).verdict).toBe('valid');
    }
  });

  it('answers error with key-mismatch when the key is of another curve than SA', () => {
    const p256 = new TestStation('secp256r1');
    const v = verifyOcmf(p384.sign(samplePayload()), { publicKey: p256.publicKeyHex, verifier });
    expect(v).toMatchObject({ verdict: 'error', errorCode: 'key-mismatch' });
  });

  it.each([
    ['no key', undefined, 'no-key'],
    ['a key that is not DER', 'deadbeef', 'bad-key'],
    ['a truncated key', 'MHYwEAYHKoZIzj0CAQYFK4EEACIDYgAE1MkN7mkLvNDpIlh7wPB2', 'bad-key'],
  ])('answers error for %s', (_what, key, code) => {
    const v = verifyOcmf(p384.sign(samplePayload()), { publicKey: key, verifier });
    expect(v).toMatchObject({ verdict: 'error', errorCode: code });
    expect(v.reason.length).toBeGreaterThan(10);
  });

  it('answers error for a point that is not on the curve', () => {
    const bytes = base64ToBytes(p384.publicKeyBase64)!;
    bytes[bytes.length - 1] ^= 0x01;
    const v = verifyOcmf(p384.sign(samplePayload()), { publicKey: bytesToHex(bytes), verifier });
    expect(v).toMatchObject({ verdict: 'error', errorCode: 'bad-key' });
  });

  it.each([
    ['an unknown SA', (d: string) => d.replace('ECDSA-secp384r1-SHA256', 'RSA-4096-SHA512'), 'unknown-algorithm'],
    ['SD that is not hex', (d: string) => d.replace(/"SD":"[0-9A-F]+"/, '"SD":"XYZ"'), 'malformed-signature'],
    ['an unknown SE', (d: string) => d.replace('"SE":"hex"', '"SE":"base32"'), 'malformed-signature'],
    ['an unknown SM', (d: string) => d.replace('"SE":"hex"', '"SE":"hex","SM":"application/x-raw"'), 'malformed-signature'],
    ['SD missing', (d: string) => d.replace(/"SD":"[0-9A-F]+",?/, ''), 'missing-field'],
  ])('answers error for %s', (_what, mutate, code) => {
    const v = verifyOcmf(mutate(p384.sign(samplePayload())), { publicKey: p384.publicKeyHex, verifier });
    expect(v).toMatchObject({ verdict: 'error', errorCode: code });
  });
});

describe.each(verifiers.map((v) => [v.name, v] as const))('verifyOcmf, decided as the S.A.F.E. transparency software decides, with %s', (_name, verifier) => {
  const st = new TestStation('secp256r1');
  const other = new TestStation('secp256r1');

  it('verifies a payload with a raw control character in a string, with a deviation', () => {
    const d = st.sign(samplePayload(1).replace('"IT":"ISO14443"', '"IT":"ISO14443\u0001"'));
    expect(d).toContain('ISO14443\u0001');
    const v = verifyOcmf(d, { publicKey: st.publicKeyHex, verifier });
    expect(v.verdict).toBe('valid');
    expect(v.findings).toContainEqual(expect.objectContaining({ severity: 'deviation', field: 'payload', message: expect.stringMatching(/U\+0001/) }));
  });

  it('verifies a payload with a number written with leading zeros, reading its exact value', () => {
    const d = st.sign(samplePayload(1, 1.5, 2.5).replace('"RV":2.5', '"RV":0002.500'));
    expect(d).toContain('"RV":0002.500');
    const v = verifyOcmf(d, { publicKey: st.publicKeyHex, verifier });
    expect(v.verdict).toBe('valid');
    expect(v.dataset?.payload.readings[1].value).toEqual({ value: 2.5, text: '2.5' });
  });

  it('answers error for an escape RFC 8259 does not define, as the reference does (no check is made)', () => {
    const d = st.sign(samplePayload(1).replace('"MV":"Chargepoint Inc."', '"MV":"Charge\\qpoint"'));
    expect(d).toContain('Charge\\qpoint');
    expect(verifyOcmf(d, { publicKey: st.publicKeyHex, verifier })).toMatchObject({ verdict: 'error', errorCode: 'malformed-json', reason: expect.stringMatching(/invalid escape "\\\\q"/) });
  });

  it('answers error for a bare r||s where SM says DER, naming what to fix', () => {
    const d = st.sign(samplePayload(1));
    const sig = decodeSignatureData(JSON.parse(d.slice(d.lastIndexOf('|') + 1)).SD, 'hex');
    if (!sig.ok) throw new Error(sig.reason);
    const rs = bytesToHex(toP1363(sig.signature, 32)!);
    const raw = d.replace(/"SD":"[0-9A-Fa-f]+"/, `"SD":"${rs}"`);
    const v = verifyOcmf(raw, { publicKey: st.publicKeyHex, verifier });
    expect(v).toMatchObject({ verdict: 'error', errorCode: 'malformed-signature' });
    expect(v.reason).toMatch(/SD \(64 bytes\) is not a DER ECDSA-Sig-Value.*OCMF Tab\. 8.*bare r\|\|s.*must DER-encode/);
  });

  it('ignores a fourth (public key) section: the registered key decides, never the one the dataset brings', () => {
    const d = st.sign(samplePayload(1));
    expect(verifyOcmf(`${d}|${st.publicKeyHex}`, { publicKey: st.publicKeyHex, verifier }).verdict).toBe('valid');
    expect(verifyOcmf(`${d}|${other.publicKeyHex}`, { publicKey: st.publicKeyHex, verifier }).verdict).toBe('valid');
    expect(verifyOcmf(`${d}|${st.publicKeyHex}`, { publicKey: other.publicKeyHex, verifier }).verdict).toBe('invalid');
    expect(verifyOcmf(`${d}|${st.publicKeyHex}`, { verifier })).toMatchObject({ verdict: 'error', errorCode: 'no-key' });
    const v = verifyOcmf(`${d}|${st.publicKeyHex}`, { publicKey: st.publicKeyHex, verifier });
    expect(v.findings).toContainEqual(expect.objectContaining({ severity: 'deviation', field: 'sections' }));
  });

  it('verifies a dataset whose pagination counter has 61+ digits, giving the counter exactly', () => {
    const counter = `4${'0'.repeat(59)}17`;
    const v = verifyOcmf(st.sign(samplePayload(1).replace('"PG":"T1-', `"PG":"T${counter}-`)), { publicKey: st.publicKeyHex, verifier });
    expect(v.verdict).toBe('valid');
    expect(v.paginationCounter).toBe(counter);
    expect(v.dataset?.payload.pagination?.counter).toBe(counter);
  });
});

describe('curve catalogue', () => {
  it('names the seven curves of the OCMF spec', () => {
    expect(Object.keys(CURVES).sort()).toEqual(
      ['brainpoolP256r1', 'brainpoolP384r1', 'secp192k1', 'secp192r1', 'secp256k1', 'secp256r1', 'secp384r1'].sort(),
    );
  });
});

function derSignature(r: bigint, s: bigint): Uint8Array {
  const int = (x: bigint) => {
    let hex = x.toString(16);
    if (hex.length % 2) hex = `0${hex}`;
    if (parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
    return [0x02, hex.length / 2, ...hex.match(/../g)!.map((h) => parseInt(h, 16))];
  };
  const body = [...int(r), ...int(s)];
  return Uint8Array.from([0x30, body.length, ...body]);
}

describe('Verification result', () => {
  it('serialises with the dataset, findings and conformance computed on demand', () => {
    const st = new TestStation('secp256r1');
    const v = verifyOcmf(st.sign(samplePayload(5)), { publicKey: st.publicKeyHex, verifier: new NodeCryptoVerifier() });
    const json = JSON.parse(JSON.stringify(v));
    expect(json).toMatchObject({ verdict: 'valid', pagination: 'T5-9876543210', paginationCounter: '5', conformance: { conforming: true } });
    expect(json.dataset.payload.readings).toHaveLength(2);
    expect(Array.isArray(json.findings)).toBe(true);
  });
});
