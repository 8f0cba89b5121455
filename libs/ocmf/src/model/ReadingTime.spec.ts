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

  it('reads a year from 0000 to 0099 as that year, not as 19xx, including its own leap days', () => {
    const r = parseReadingTime('0050-06-03T07:48:45,000+0200 S');
    expect(r.ok && r.time).toMatchObject({ iso: '0050-06-03T05:48:45.000Z', epochMs: Date.parse('0050-06-03T05:48:45.000Z') });
    const utc = parseReadingTime('0007-01-01T00:00:00,250+0000 S');
    expect(utc.ok && utc.time).toMatchObject({ iso: '0007-01-01T00:00:00.250Z', epochMs: Date.parse('0007-01-01T00:00:00.250Z') });
    // 0048 is a leap year (1948 too), 0000 is (1900 is not), 0049 is not.
    expect(parseReadingTime('0048-02-29T12:00:00,000+0000 S').ok).toBe(true);
    const zero = parseReadingTime('0000-02-29T12:00:00,000+0000 S');
    expect(zero.ok && zero.time.epochMs).toBe(Date.parse('0000-02-29T12:00:00.000Z'));
    expect(parseReadingTime('0049-02-29T12:00:00,000+0000 S').ok).toBe(false);
  });

  it('gives the instant Date.parse gives for the ISO form of every year, 0000 to 9999', () => {
    const two = (n: number) => String(n).padStart(2, '0');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9999 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 28 }), fc.integer({ min: 0, max: 23 }), (y, mo, d, h) => {
        const date = `${String(y).padStart(4, '0')}-${two(mo)}-${two(d)}T${two(h)}:07:09`;
        const r = parseReadingTime(`${date},123+0000 S`);
        expect(r.ok && r.time.epochMs).toBe(Date.parse(`${date}.123Z`));
      }),
      { numRuns: 2000 },
    );
  });

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
