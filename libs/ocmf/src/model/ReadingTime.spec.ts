import fc from 'fast-check';
import { formatReadingTime, parseReadingTime } from './ReadingTime';

describe('ReadingTime', () => {
  it('reads the spec form with zone offset and sync letter', () => {
    const r = parseReadingTime('2018-07-24T13:22:04,000+0200 S');
    expect(r.ok && r.time).toMatchObject({ iso: '2018-07-24T11:22:04.000Z', status: 'S', offsetMinutes: 120, deviations: [] });
  });

  it('reads tolerated variants with deviations', () => {
    const r = parseReadingTime('2018-07-24T13:22:04.5Z');
    expect(r.ok && r.time.deviations.length).toBe(4);
  });

  it.each(['2018-02-30T00:00:00,000+0000 S', '2018-07-24 13:22:04,000+0200 S', '24.07.2018', '2018-07-24T25:00:00,000+0000 S'])(
    'refuses %j',
    (raw) => expect(parseReadingTime(raw).ok).toBe(false),
  );

  it('writes what it reads, for every instant and status', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4102444800000 }), fc.constantFrom('U', 'I', 'S', 'R' as const), fc.integer({ min: -720, max: 840 }), (ms, st, off) => {
        const text = formatReadingTime(ms, st, off);
        const r = parseReadingTime(text);
        expect(r.ok && r.time.epochMs).toBe(ms);
        expect(r.ok && r.time.deviations).toEqual([]);
      }),
    );
  });

  it('gives as iso what Date#toISOString writes for the instant, whatever the year, fraction and zone', () => {
    const two = (n: number) => String(n).padStart(2, '0');
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 28 }),
        fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 })),
        fc.option(fc.tuple(fc.constantFrom(',', '.'), fc.stringMatching(/^\d{1,9}$/)), { nil: undefined }),
        fc.constantFrom('Z', '+0000', '-0000', '+00:00', '+0200', '-0530', '+14:00'),
        fc.constantFrom(' S', ' U', ''),
        (y, mo, d, [h, mi, s], frac, zone, status) => {
          const raw = `${String(y).padStart(4, '0')}-${two(mo)}-${two(d)}T${two(h)}:${two(mi)}:${two(s)}${frac ? frac[0] + frac[1] : ''}${zone}${status}`;
          const r = parseReadingTime(raw);
          if (!r.ok) throw new Error(`${raw}: ${r.reason}`);
          expect(r.time.iso).toBe(new Date(r.time.epochMs).toISOString());
        },
      ),
      { numRuns: 5000 },
    );
  });
});
