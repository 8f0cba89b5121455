import { countMissing, missingRanges } from './missingRanges';

describe('missingRanges', () => {
  it('gives the runs between the first number and the highest held, in any order of arrival', () => {
    expect(missingRanges([5n, 1n, 3n, 3n], 0n)).toEqual([
      { from: '0', to: '0' },
      { from: '2', to: '2' },
      { from: '4', to: '4' },
    ]);
    expect(missingRanges([1n, 2n], 1n)).toEqual([]);
  });
  it('answers a number of 2^53 as one range, at once', () => {
    const r = missingRanges([0n, 2n ** 53n], 0n);
    expect(r).toEqual([{ from: '1', to: String(2n ** 53n - 1n) }]);
    expect(countMissing(r)).toBe(String(2n ** 53n - 1n));
  });
  it('ignores numbers below the first', () => expect(missingRanges([0n, 2n], 1n)).toEqual([{ from: '1', to: '1' }]));
});
