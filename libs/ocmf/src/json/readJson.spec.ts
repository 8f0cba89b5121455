import fc from 'fast-check';
import { readJson } from './readJson';

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('readJson', () => {
  it('gives the values JSON.parse gives, for any JSON text', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 1, 2), (value, indent) => {
        const text = JSON.stringify(value, null, indent);
        const r = readJson(text);
        expect(r.ok).toBe(true);
        expect(r.ok && r.value).toEqual(JSON.parse(text));
      }),
      { numRuns: 500 },
    );
  });

  it('accepts exactly what JSON.parse accepts, strictly, and never throws', () => {
    const fragments = fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', 'a', '1', '0', '-', '.', 'e', '+', ' ', '\n', '\u0001', 'true', 'null', '\\u00e9', '\\q', '01');
    fc.assert(
      fc.property(fc.array(fragments, { maxLength: 30 }), (parts) => {
        const text = parts.join('');
        expect(readJson(text).ok).toBe(parses(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('keeps duplicate keys as JSON.parse does, and __proto__ as an ordinary key', () => {
    const text = '{"RV":1,"a":{"__proto__":{"x":1}},"RV":100.000,"k":2,"k":"two"}';
    const r = readJson(text);
    expect(r.ok && r.value).toEqual(JSON.parse(text));
    const v = r.ok ? (r.value as Record<string, Record<string, unknown>>) : {};
    expect(Object.getPrototypeOf(v.a)).toBe(Object.prototype);
    expect(Object.keys(v.a)).toEqual(['__proto__']);
    expect(r.ok && r.numbers.get(v)?.get('RV')).toBe('100.000');
    expect(r.ok && r.numbers.get(v)?.has('k')).toBe(false);
  });

  it('keeps every number as written, by container and key', () => {
    const r = readJson('{"RV":100.000,"RD":[{"RV":1e400},0.12345678901234567890],"n":-0}');
    if (!r.ok) throw new Error(r.reason);
    const v = r.value as { RD: [object, number] };
    expect(r.numbers.get(v)).toEqual(new Map([['RV', '100.000'], ['n', '-0']]));
    expect(r.numbers.get(v.RD[0])?.get('RV')).toBe('1e400');
    expect(r.numbers.get(v.RD)?.get('1')).toBe('0.12345678901234567890');
    expect(r.overflows).toEqual([{ path: 'RD[0].RV', text: '1e400' }]);
  });

  it('names where the text breaks RFC 8259, quoting at most a few characters of it', () => {
    const cases: [string, RegExp][] = [
      ['{"MV":"AC\\qME"}', /invalid escape "\\\\q" at offset 9: RFC 8259 §7 allows only/],
      ['{"IT":"A\u0001"}', /raw control character U\+0001 in a string at offset 8: RFC 8259 §7/],
      ['{"RV":0100.000}', /"0100.000" at offset 6 is not a JSON number \(RFC 8259 §6\)/],
      ['{"a":1,}', /expected a member name in double quotes at offset 7/],
      ['{"a":"x', /string opened at offset 5 is not closed/],
      [`{"a":1}${'x'.repeat(10_000)}`, /expected the end of the text after the JSON value at offset 7, found "x{16}"$/],
      ['', /expected a JSON value at offset 0, found the end of the text/],
    ];
    for (const [text, reason] of cases) {
      const r = readJson(text);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.reason).toMatch(reason);
    }
  });

  it('tolerantly accepts what the S.A.F.E. reference (Gson, lenient) reads, and lists each departure', () => {
    const r = readJson('{"IT":"ISO14443\u0001","RV":0100.000,"a":+1,"b":.5}', { tolerant: true });
    if (!r.ok) throw new Error(r.reason);
    expect(r.value).toEqual({ IT: 'ISO14443\u0001', RV: 100, a: 1, b: 0.5 });
    expect(r.tolerated).toEqual([
      { kind: 'control-character-in-string', offset: 15, text: 'U+0001' },
      { kind: 'non-canonical-number', offset: 23, text: '0100.000' },
      { kind: 'non-canonical-number', offset: 36, text: '+1' },
      { kind: 'non-canonical-number', offset: 43, text: '.5' },
    ]);
    // An escape RFC 8259 does not define is refused in both modes, as Gson 2.8.9 refuses it.
    expect(readJson('{"MV":"AC\\qME"}', { tolerant: true }).ok).toBe(false);
    expect(readJson('{"RV":1.2.3}', { tolerant: true }).ok).toBe(false);
  });

  it('reads 200 000 levels of nesting and a 200 000-digit number without recursion or work beyond the text', () => {
    const deep = `${'['.repeat(200_000)}1${']'.repeat(200_000)}`;
    const t0 = Date.now();
    const r = readJson(deep);
    expect(r.ok).toBe(true);
    const digits = readJson(`{"RV":${'9'.repeat(200_000)},"PG":"T${'1'.repeat(100)}"}`);
    expect(digits.ok && digits.overflows).toEqual([{ path: 'RV', text: '9'.repeat(200_000) }]);
    const failing = readJson(`{"RV":${'1'.repeat(200_000)}e}`, { tolerant: true });
    expect(failing.ok).toBe(false);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('lists at most 16 overflowing numbers, each with at most 8 levels of path', () => {
    const r = readJson(`${'['.repeat(20)}${Array(100).fill('1e999').join(',')}${']'.repeat(20)}`);
    if (!r.ok) throw new Error(r.reason);
    expect(r.overflows).toHaveLength(16);
    expect(r.overflows[0].path).toBe('[0][0][0][0][0][0][0][0]…');
  });
});
