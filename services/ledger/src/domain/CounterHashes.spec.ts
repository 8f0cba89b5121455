import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { CounterHashes } from './CounterHashes';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

describe('CounterHashes', () => {
  it('gives the hashes of each counter in the order recorded, like a Map of lists, whatever their form', () => {
    const hash = fc.oneof(fc.integer({ min: 0, max: 5 }).map((i) => sha(String(i))), fc.constantFrom('1:a', 'B'.repeat(64), '0'.repeat(64), 'x'));
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.bigInt({ min: 0n, max: 70n }), hash), { maxLength: 100 }), (adds) => {
        const hashes = new CounterHashes();
        const model = new Map<bigint, string[]>();
        for (const [c, h] of adds) {
          hashes.add(c, h);
          const held = model.get(c) ?? [];
          if (!held.includes(h)) held.push(h);
          model.set(c, held);
        }
        expect(hashes.size).toBe(model.size);
        for (let c = 0n; c <= 72n; c++) expect(hashes.get(c)).toEqual(model.get(c) ?? []);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a counter of 10^60 beside small ones', () => {
    const hashes = new CounterHashes();
    hashes.add(10n ** 60n, sha('a'));
    hashes.add(1n, sha('b'));
    expect(hashes.get(10n ** 60n)).toEqual([sha('a')]);
    expect(hashes.get(10n ** 60n + 1n)).toEqual([]);
    expect(hashes.get(1n)).toEqual([sha('b')]);
  });
});
