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
});
