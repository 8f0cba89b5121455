import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { DigestSet } from './DigestSet';

const digest = (s: string) => createHash('sha256').update(s).digest();

describe('DigestSet', () => {
  it('answers like a plain Set of the digests, through every growth of its table', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 6 }), { maxLength: 200 }), fc.array(fc.string({ maxLength: 6 }), { maxLength: 40 }), (adds, probes) => {
        const set = new DigestSet();
        const model = new Set<string>();
        for (const a of adds) {
          expect(set.add(digest(a))).toBe(!model.has(a));
          model.add(a);
        }
        expect(set.size).toBe(model.size);
        for (const p of [...adds, ...probes]) expect(set.has(digest(p))).toBe(model.has(p));
      }),
      { numRuns: 200 },
    );
  });

  it('holds digests that share their first bytes (the probe start) apart', () => {
    const set = new DigestSet();
    const near = Array.from({ length: 40 }, (_, i) => Buffer.concat([Buffer.alloc(4, 7), Buffer.alloc(28, i + 1)]));
    for (const d of near) expect(set.add(d)).toBe(true);
    for (const d of near) expect(set.has(d)).toBe(true);
    expect(set.has(Buffer.concat([Buffer.alloc(4, 7), Buffer.alloc(28, 99)]))).toBe(false);
  });

  it('holds the all-zero digest, which its empty slots cannot mark', () => {
    const set = new DigestSet();
    expect(set.has(Buffer.alloc(32))).toBe(false);
    expect(set.add(Buffer.alloc(32))).toBe(true);
    expect(set.add(Buffer.alloc(32))).toBe(false);
    expect(set.has(Buffer.alloc(32))).toBe(true);
    expect(set.size).toBe(1);
  });

  it('tells message ids and content keys apart however they are split', () => {
    expect(DigestSet.ofMessage('a\nb', 'c').equals(DigestSet.ofMessage('a', 'b\nc'))).toBe(false);
    expect(DigestSet.ofMessage('m', 'k').equals(DigestSet.ofMessage('m', 'k'))).toBe(true);
  });

  it('refuses a value that is not a 32-byte digest', () => {
    expect(() => new DigestSet().add(Buffer.alloc(16))).toThrow(RangeError);
  });
});
