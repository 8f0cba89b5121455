import fc from 'fast-check';
import { compareCounters, paginationCounterText, parsePagination } from './Pagination';

describe('Pagination', () => {
  it('reads T, F and the CP800 form with a suffix, counters beyond 2^53 exact', () => {
    expect(parsePagination('T12345')).toEqual({ ok: true, pagination: { raw: 'T12345', context: 'T', counter: '12345' } });
    expect(parsePagination('F9007199254740993')).toMatchObject({ ok: true, pagination: { counter: '9007199254740993' } });
    expect(parsePagination('T5-5333490790308772492')).toMatchObject({ ok: true, pagination: { counter: '5', suffix: '5333490790308772492' } });
    expect(paginationCounterText('T007')).toBe('7');
  });

  it.each(['', 'T', '12', 'T-1', 'TX1'])('refuses %j', (pg) => expect(parsePagination(pg).ok).toBe(false));

  it('orders counters numerically, like BigInt', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 30n }), fc.bigInt({ min: 0n, max: 10n ** 30n }), (a, b) => {
        expect(Math.sign(compareCounters(a.toString(), b.toString()))).toBe(a < b ? -1 : a > b ? 1 : 0);
      }),
    );
  });
});

describe('Pagination counters beyond 2^63', () => {
  it('keeps a counter of any length exactly, as canonical decimal text', () => {
    const counter = `9${'8'.repeat(70)}`;
    expect(parsePagination(`F000${counter}-tx`)).toEqual({ ok: true, pagination: { raw: `F000${counter}-tx`, context: 'F', counter, suffix: 'tx' } });
    expect(paginationCounterText(`T${'0'.repeat(100)}`)).toBe('0');
    expect(compareCounters(`1${'0'.repeat(61)}`, `9${'9'.repeat(60)}`)).toBeGreaterThan(0);
  });

  it('reads a 200 000-digit counter in time proportional to its text, and quotes a bad PG bounded', () => {
    const t0 = Date.now();
    expect(paginationCounterText(`T${'0'.repeat(100_000)}${'7'.repeat(100_000)}`)).toBe('7'.repeat(100_000));
    expect(Date.now() - t0).toBeLessThan(500);
    const bad = parsePagination(`T1x${'y'.repeat(100_000)}`);
    expect(!bad.ok && bad.reason.length).toBeLessThan(200);
  });
});
