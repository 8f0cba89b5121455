import fc from 'fast-check';
import { samplePayload, TestStation } from '../test/support/TestStation';
import { NodeCryptoVerifier } from './crypto/NodeCryptoVerifier';
import { compareDecimal, MAX_DECIMAL_DIGITS, subtractDecimal } from './model/DecimalText';
import { parseOcmf } from './parseOcmf';
import { checkSession } from './session/checkSession';
import { verifyOcmf } from './verifyOcmf';

const verifier = new NodeCryptoVerifier();
const station = new TestStation('secp384r1');
const valid = station.sign(samplePayload(42));

describe('a mutated valid dataset never verifies', () => {
  it('for any change of one character of the payload', () => {
    const start = valid.indexOf('|') + 1;
    const end = valid.lastIndexOf('|{');
    fc.assert(
      fc.property(fc.integer({ min: start, max: end - 1 }), fc.string({ minLength: 1, maxLength: 1, unit: 'binary' }), (i, ch) => {
        fc.pre(valid[i] !== ch);
        const mutated = valid.slice(0, i) + ch + valid.slice(i + 1);
        expect(verifyOcmf(mutated, { publicKey: station.publicKeyHex, verifier }).verdict).not.toBe('valid');
      }),
      { numRuns: 500 },
    );
  });

  it('for insertions and deletions anywhere in the dataset, white space included', () => {
    fc.assert(
      fc.property(fc.nat(), fc.constantFrom(' ', '\n', '0', '|', '"', '{', ''), fc.boolean(), (at, insert, del) => {
        const i = at % valid.length;
        const mutated = del ? valid.slice(0, i) + insert + valid.slice(i + 1) : valid.slice(0, i) + insert + valid.slice(i);
        fc.pre(mutated !== valid);
        const v = verifyOcmf(mutated, { publicKey: station.publicKeyHex, verifier });
        // Only the header and the payload are signed. An edit may leave the verdict valid only when it
        // falls in the (unsigned) signature section, or is white space inserted before the header.
        if (v.verdict === 'valid') {
          const beforeHeader = i === 0 && !del && /^\s$/.test(insert);
          expect(beforeHeader || i > valid.lastIndexOf('|{')).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('the parser never throws', () => {
  it('on arbitrary text', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.boolean(), (s, withHeader) => {
        const input = withHeader ? `OCMF|${s}` : s;
        expect(() => parseOcmf(input)).not.toThrow();
        expect(() => verifyOcmf(input, { publicKey: station.publicKeyHex, verifier })).not.toThrow();
      }),
      { numRuns: 1000 },
    );
  });

  it('on arbitrary JSON payloads and signature sections', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.jsonValue(), (payload, sig) => {
        const input = `OCMF|${JSON.stringify(payload)}|${JSON.stringify(sig)}`;
        const v = verifyOcmf(input, { publicKey: station.publicKeyHex, verifier });
        expect(['invalid', 'error']).toContain(v.verdict);
      }),
      { numRuns: 1000 },
    );
  });

  it('on payloads with fields of the wrong types', () => {
    const fields = ['FV', 'PG', 'MS', 'IS', 'IL', 'IF', 'IT', 'ID', 'TT', 'LC', 'CI', 'CT', 'RD'];
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...fields), fc.jsonValue()), fc.array(fc.dictionary(fc.constantFrom('TM', 'TX', 'RV', 'RI', 'RU', 'RT', 'CL', 'EF', 'ST'), fc.jsonValue())), (top, rd) => {
        const input = `OCMF|${JSON.stringify({ ...top, RD: rd })}|{"SD":"00"}`;
        const r = parseOcmf(input);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 1000 },
    );
  });
});

describe('huge numbers never throw, never cost more than the data, and become findings', () => {
  const p256 = new TestStation('secp256r1');
  const digits = (n: number, first = '9') => first + '9'.repeat(Math.max(0, n - 1));
  /** Number texts a double cannot hold, or only approximately, or that would be long written out. */
  const hugeNumber = fc.oneof(
    fc.integer({ min: 1, max: 2000 }).map((n) => digits(n)),
    fc.tuple(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 300, max: 10 ** 9 }), fc.boolean()).map(([m, e, neg]) => `${m}e${neg ? '-' : ''}${e}`),
    fc.integer({ min: 7, max: 20_000 }).map((n) => `1E+${'9'.repeat(n)}`),
    fc.tuple(fc.integer({ min: 0, max: 80 }), fc.integer({ min: 1, max: 80 })).map(([a, b]) => `${digits(a + 1, '1')}.${'0'.repeat(b)}1`),
    fc.constantFrom('1e400', '-1e400', '0e999999999', '1e-400', '123456789012345678901234567890123', '0.12345678901234567890'),
  );
  const value = fc.oneof(hugeNumber, fc.double({ min: 0, max: 1e6, noNaN: true }).map(String));

  const payload = (begin: string, end: string, vendor: string, counterDigits: number) =>
    `{"FV":"1.0","PG":"T${digits(counterDigits, '1')}-7","MS":"S1","IS":false,"IT":"NONE","UX":${vendor},"RD":[` +
    `{"TX":"B","TM":"2025-06-03T07:48:45,000+0000 S","RV":${begin},"RI":"1-b:1.8.0","RU":"kWh","CL":${vendor},"ST":"G"},` +
    `{"TX":"E","TM":"2025-06-03T08:48:45,000+0000 S","RV":${end},"RI":"1-b:1.8.0","RU":"kWh","ST":"G"}]}`;

  it('in RV, CL, a vendor field and a 61+ digit pagination counter of a validly signed dataset', () => {
    fc.assert(
      fc.property(value, value, hugeNumber, fc.integer({ min: 61, max: 3000 }), (begin, end, vendor, counterDigits) => {
        const signed = p256.sign(payload(begin, end, vendor, counterDigits));
        const v = verifyOcmf(signed, { publicKey: p256.publicKeyHex, verifier });
        expect(v.verdict).toBe('valid');
        expect(v.paginationCounter).toBe(digits(counterDigits, '1'));
        expect(() => JSON.stringify(v)).not.toThrow();
        const parsed = parseOcmf(signed);
        expect(parsed.ok).toBe(true);
        if (!parsed.ok) return;
        const session = checkSession(parsed.dataset.payload);
        const readings = parsed.dataset.payload.readings;
        for (const r of readings) {
          // Either the exact value, or no value and an error finding saying why.
          if (r.value) expect(r.value.text.replace(/[-.]/g, '').length).toBeLessThanOrEqual(MAX_DECIMAL_DIGITS + 1);
          else expect(parsed.findings).toContainEqual(expect.objectContaining({ severity: 'error', field: `RD[${r.index}].RV` }));
        }
        if (session.energy) {
          const b = readings[0].value!;
          expect(compareDecimal(session.energy.delivered, subtractDecimal(readings[1].value!, b)!)).toBe(0);
        } else {
          expect(session.energyWithheld).toMatch(/RD\[[01]\]|below the begin/);
        }
        for (const f of parsed.findings) expect(f.message.length).toBeLessThan(600);
      }),
      { numRuns: 150 },
    );
  });

  it('in mutated datasets: parseOcmf, verifyOcmf (every lazy part) and checkSession never throw', () => {
    const base = p256.sign(payload('1.5', '2.25', '7', 3));
    const insert = fc.oneof(fc.constantFrom('9', 'e', 'E', '-', '+', '.', '0', '"', '1e400', 'e-999999', ',', '}', ']', '\u0001', '\\'), hugeNumber);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), insert, fc.boolean()), { minLength: 1, maxLength: 6 }), (edits) => {
        let text = base;
        for (const [at, s, replace] of edits) {
          const i = at % text.length;
          text = text.slice(0, i) + s + text.slice(replace ? i + 1 : i);
        }
        const v = verifyOcmf(text, { publicKey: p256.publicKeyHex, verifier });
        expect(['valid', 'invalid', 'error']).toContain(v.verdict);
        expect(() => [v.findings, v.dataset, v.conformance, JSON.stringify(v)]).not.toThrow();
        const parsed = parseOcmf(text);
        if (parsed.ok) expect(() => checkSession(parsed.dataset.payload)).not.toThrow();
      }),
      { numRuns: 1500 },
    );
  });

  it('in arbitrary JSON payloads whose numbers are huge', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.array(hugeNumber, { minLength: 1, maxLength: 5 }), (json, huge) => {
        let k = 0;
        const text = JSON.stringify({ PG: 'T1', RD: [{ TX: 'B', RV: 0, CL: 0 }, { TX: 'E', RV: 0 }], X: json }).replace(/-?\d+(\.\d+)?(e[+-]?\d+)?/gi, (m) => huge[k++ % huge.length] ?? m);
        const input = `OCMF|${text}|{"SD":"00"}`;
        const parsed = parseOcmf(input);
        if (parsed.ok) expect(() => checkSession(parsed.dataset.payload)).not.toThrow();
        const v = verifyOcmf(input, { publicKey: p256.publicKeyHex, verifier });
        expect(() => [v.findings, v.dataset, JSON.stringify(v)]).not.toThrow();
      }),
      { numRuns: 500 },
    );
  });

  it('costs time proportional to the dataset, not to the values it holds', () => {
    const time = (rv: string, counterDigits: number) => {
      const signed = p256.sign(payload('1', rv, '1', counterDigits));
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < 20; i++) {
        const v = verifyOcmf(signed, { publicKey: p256.publicKeyHex, verifier });
        expect(v.verdict).toBe('valid');
        expect(v.findings.length).toBeGreaterThan(0);
        const p = parseOcmf(signed);
        expect(p.ok && checkSession(p.dataset.payload).shape).toBe('complete');
      }
      return Number(process.hrtime.bigint() - t0) / 1e6;
    };
    time('2', 61); // warm up
    const small = time('2', 61);
    // An exponent of 10^100000 and a 100 000-digit counter: 200 KB of text, read in one pass each.
    const huge = time(`1e${'9'.repeat(100_000)}`, 100_000);
    expect(huge).toBeLessThan(small * 20 + 2000);
  });
});
