import fc from 'fast-check';
import { CounterRangeSet } from './CounterRangeSet';
import { missingRanges } from './missingRanges';

const sorted = (xs: Iterable<bigint>) => [...xs].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));

describe('CounterRangeSet', () => {
  it('holds the same members as a plain Set, in any order of additions, as sorted disjoint ranges', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: 80n }), { maxLength: 120 }), fc.array(fc.bigInt({ min: 0n, max: 90n }), { maxLength: 30 }), (adds, probes) => {
        const set = new CounterRangeSet();
        const model = new Set<bigint>();
        for (const n of adds) {
          expect(set.add(n)).toBe(!model.has(n));
          model.add(n);
        }
        expect(sorted(set.keys())).toEqual(sorted(model));
        expect([...set.keys()]).toEqual(sorted(model));
        expect(set.count).toBe(model.size);
        for (const p of [...probes, ...adds]) expect(set.has(p)).toBe(model.has(p));
        expect(set.lowest).toBe(model.size ? sorted(model)[0] : undefined);
        expect(set.highest).toBe(model.size ? sorted(model)[model.size - 1] : undefined);
        // disjoint and not touching: one more than a range's end is never held
        const ranges = set.ranges().map((r) => [BigInt(r.from), BigInt(r.to)]);
        for (let i = 1; i < ranges.length; i++) expect(ranges[i][0]).toBeGreaterThan(ranges[i - 1][1] + 1n);
        expect(set.rangeCount).toBe(ranges.length);
        for (const first of [0n, 1n, 5n]) expect(set.missing(first)).toEqual(missingRanges(model, first));
      }),
      { numRuns: 300 },
    );
  });

  it('keeps counters in order as one range, and a counter of 10^60 as one more, at once', () => {
    const set = new CounterRangeSet();
    for (let n = 1n; n <= 1000n; n++) set.add(n);
    const huge = 10n ** 60n;
    set.add(huge);
    expect(set.ranges()).toEqual([
      { from: '1', to: '1000' },
      { from: huge.toString(), to: huge.toString() },
    ]);
    expect(set.missing(1n)).toEqual([{ from: '1001', to: (huge - 1n).toString() }]);
    expect(set.has(huge - 1n)).toBe(false);
  });

  it('joins the two ranges a late counter sits between', () => {
    const set = new CounterRangeSet();
    for (const n of [1n, 2n, 4n, 5n]) set.add(n);
    expect(set.rangeCount).toBe(2);
    set.add(3n);
    expect(set.ranges()).toEqual([{ from: '1', to: '5' }]);
  });
});
