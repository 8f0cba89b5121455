import fc from 'fast-check';
import type { DecimalValue } from './OcmfDataset';
import { compareDecimal, decimalFromNumber, decimalFromText, MAX_DECIMAL_DIGITS, plainDecimalText, readDecimal, subtractDecimal } from './DecimalText';

const dec = (text: string): DecimalValue => {
  const r = readDecimal(text);
  if (!r.ok) throw new Error(r.reason);
  return r.decimal;
};

describe('DecimalText', () => {
  it('subtracts exactly', () => {
    expect(subtractDecimal(dec('0.2597'), dec('0.2596'))?.text).toBe('0.0001');
    expect(subtractDecimal(dec('62500.2031'), dec('62500.2031'))?.text).toBe('0');
    expect(subtractDecimal(dec('1'), dec('1.5'))?.text).toBe('-0.5');
    expect(subtractDecimal(dec('7753'), dec('7700'))?.text).toBe('53');
  });

  it('reads the text as written, not the nearest double', () => {
    expect(dec('0.12345678901234567890').text).toBe('0.1234567890123456789');
    expect(dec('123456789012345678901234567890123').text).toBe('123456789012345678901234567890123');
    expect(subtractDecimal(dec('123456789012345678901234567890124'), dec('123456789012345678901234567890123'))?.text).toBe('1');
    expect(dec('100.000')).toEqual({ value: 100, text: '100' });
    expect(dec('-0')).toEqual({ value: 0, text: '0' });
    expect(dec('0100.50')).toEqual({ value: 100.5, text: '100.5' });
    expect(dec('1.5e3').text).toBe('1500');
    expect(dec('12.34E-1').text).toBe('1.234');
    expect(dec('1e-7').text).toBe('0.0000001');
  });

  it('refuses, with a reason, what cannot be held exactly, before writing anything out', () => {
    for (const [text, why] of [
      ['1e400', /401 digits/],
      ['1e-400', /401 digits/],
      ['1e99999999999', /exponent has 11 digits/],
      [`1e${'9'.repeat(100_000)}`, /exponent has 100000 digits/],
      ['9'.repeat(400), /400 significant digits/],
      [`0.${'0'.repeat(70)}1`, /72 digits/],
    ] as const) {
      const r = readDecimal(text);
      expect(r.ok).toBe(false);
      expect(!r.ok && r.reason).toMatch(why);
    }
    // The limit is the digits written out, not the length of the text: zeros that carry no value are free.
    expect(readDecimal(`${'0'.repeat(1000)}1.${'0'.repeat(1000)}`).ok).toBe(true);
    expect(readDecimal('9'.repeat(MAX_DECIMAL_DIGITS)).ok).toBe(true);
    expect(readDecimal(`1e${MAX_DECIMAL_DIGITS - 1}`).ok).toBe(true);
    expect(readDecimal(`1e${MAX_DECIMAL_DIGITS}`).ok).toBe(false);
  });

  it('takes about the same time for a 200 000-digit exponent as for a short one (no work proportional to a value)', () => {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < 20; i++) readDecimal(`1e${'9'.repeat(200_000)}`);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    expect(ms).toBeLessThan(500);
  });

  it('writes JS numbers without exponent, and refuses the non-finite ones', () => {
    expect(plainDecimalText(1e-7)).toBe('0.0000001');
    expect(plainDecimalText(123456)).toBe('123456');
    expect(plainDecimalText(Infinity)).toBeUndefined();
    expect(decimalFromNumber(NaN)).toBeUndefined();
  });

  it('reads numbers written as strings and refuses other text', () => {
    expect(decimalFromText('  48.542')?.value).toBe(48.542);
    expect(decimalFromText('12,5')).toBeUndefined();
    expect(decimalFromText('')).toBeUndefined();
    expect(decimalFromText('1_000')).toBeUndefined();
    expect(decimalFromText('1e400')).toBeUndefined();
  });

  it('refuses hand-built values that are not exact decimals instead of throwing on them', () => {
    expect(subtractDecimal({ value: Infinity, text: 'Infinity' }, dec('1'))).toBeUndefined();
    expect(subtractDecimal(dec('1'), { value: 1e400, text: `1${'0'.repeat(400)}` })).toBeUndefined();
    expect(compareDecimal({ value: NaN, text: 'NaN' }, dec('1'))).toBeUndefined();
  });

  it('compares exactly where doubles cannot', () => {
    expect(compareDecimal(dec('10000000000000000.1'), dec('10000000000000000'))).toBe(1);
    expect(compareDecimal(dec('1'), dec('1.000'))).toBe(0);
    expect(compareDecimal(dec('-2'), dec('1'))).toBe(-1);
  });

  it('agrees with integer arithmetic on values with up to 4 decimals', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 9 }), fc.integer({ min: 0, max: 10 ** 9 }), (a, b) => {
        const d = subtractDecimal(decimalFromNumber(a / 10000)!, decimalFromNumber(b / 10000)!);
        expect(Math.round(Number(d?.text) * 10000)).toBe(a - b);
      }),
    );
  });

  it('agrees with BigInt arithmetic on any digits within the limit, however they are written', () => {
    const digits = fc.stringMatching(/^[1-9]\d{0,29}$/);
    fc.assert(
      fc.property(digits, digits, fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 3 }), (a, b, scale, zeros) => {
        const write = (d: string) => {
          const padded = d.padStart(scale + 1, '0');
          const text = scale === 0 ? padded : `${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
          return '0'.repeat(zeros) + text + (scale > 0 ? '0'.repeat(zeros) : '');
        };
        const diff = subtractDecimal(dec(write(a)), dec(write(b)));
        const expected = BigInt(a) - BigInt(b);
        const back = diff!.text.replace('-', '').split('.');
        const asInt = BigInt(back[0] + (back[1] ?? '').padEnd(scale, '0')) * (diff!.text.startsWith('-') ? -1n : 1n);
        expect(asInt).toBe(expected);
      }),
    );
  });
});
