import fc from 'fast-check';
import { decimalFromNumber, decimalFromText, plainDecimalText, subtractDecimal } from './DecimalText';

describe('DecimalText', () => {
  it('subtracts exactly', () => {
    expect(subtractDecimal(decimalFromNumber(0.2597), decimalFromNumber(0.2596)).text).toBe('0.0001');
    expect(subtractDecimal(decimalFromNumber(62500.2031), decimalFromNumber(62500.2031)).text).toBe('0');
    expect(subtractDecimal(decimalFromNumber(1), decimalFromNumber(1.5)).text).toBe('-0.5');
    expect(subtractDecimal(decimalFromNumber(7753), decimalFromNumber(7700)).text).toBe('53');
  });

  it('writes small and large numbers without exponent', () => {
    expect(plainDecimalText(1e-7)).toBe('0.0000001');
    expect(plainDecimalText(123456)).toBe('123456');
  });

  it('reads numbers written as strings and refuses other text', () => {
    expect(decimalFromText('  48.542')?.value).toBe(48.542);
    expect(decimalFromText('12,5')).toBeUndefined();
    expect(decimalFromText('')).toBeUndefined();
  });

  it('agrees with integer arithmetic on values with up to 4 decimals', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 9 }), fc.integer({ min: 0, max: 10 ** 9 }), (a, b) => {
        const d = subtractDecimal(decimalFromNumber(a / 10000), decimalFromNumber(b / 10000));
        expect(Math.round(Number(d.text) * 10000)).toBe(a - b);
      }),
    );
  });
});
