import { isIsoTime } from './isoTime';

describe('isIsoTime', () => {
  it.each(['2025-01-01', '2025-01-01T08:00Z', '2025-01-01T08:00:00Z', '2025-01-01T08:00:00.123+01:00', '2024-02-29T00:00:00Z', '2025-12-31T23:59:59Z'])('accepts %s', (v) => {
    expect(isIsoTime(v)).toBe(true);
  });

  it.each(['x', '2025-02-30T00:00:00Z', '2025-02-29', '2025-04-31T00:00:00Z', '2025-13-01', '2025-01-01T24:00:00Z', '2025-01-01T08:60:00Z', '2025-W01', '', 42])('refuses %p', (v) => {
    expect(isIsoTime(v)).toBe(false);
  });
});
