import { matchFirmwareChanges, replacedVersion } from './matchFirmwareChanges';

const change = (from: string, to: string, n: number) => ({ reportedAt: `2025-04-0${n}T07:00:00Z`, from, to, messageId: `CP-1:boot-${n}` });

describe('matchFirmwareChanges', () => {
  it("reads the replaced version as the CP800 manual shows FirmwareInstalled's metadata, text or object", () => {
    expect(replacedVersion('LRSHash: 09b265e1dc, LRSVersion: 1.0.0')).toBe('1.0.0');
    expect(replacedVersion({ LRSHash: '09b265e1dc', LRSVersion: '1.0.0' })).toBe('1.0.0');
    expect(replacedVersion('{"LRSHash": "09b265e1dc", "LRSVersion": "1.0.0"}')).toBe('1.0.0');
    expect(replacedVersion('LRSHash: 09b265e1dc')).toBeUndefined();
    expect(replacedVersion(null)).toBeUndefined();
  });

  it('pairs a change with the FirmwareInstalled entry naming the version replaced, and flags one without', () => {
    const installed = [{ seq: 28, time: '2025-04-01T06:56:52Z', metadata: 'LRSHash: 09b265e1dc, LRSVersion: 1.0.0' }];
    expect(matchFirmwareChanges([change('1.0.0', '1.1.0', 1), change('1.1.0', '1.2.0', 2)], installed)).toEqual([
      { ...change('1.0.0', '1.1.0', 1), logEntry: { seq: 28, time: '2025-04-01T06:56:52Z' } },
      { ...change('1.1.0', '1.2.0', 2), logEntry: null },
    ]);
  });

  it('uses each entry once: a downgrade and upgrade again need two entries', () => {
    const installed = [
      { seq: 5, time: '2025-04-01T06:00:00Z', metadata: 'LRSHash: aa, LRSVersion: 1.0.0' },
      { seq: 9, time: '2025-04-02T06:00:00Z', metadata: 'LRSHash: bb, LRSVersion: 1.1.0' },
    ];
    const out = matchFirmwareChanges([change('1.0.0', '1.1.0', 1), change('1.1.0', '1.0.0', 2), change('1.0.0', '1.1.0', 3)], installed);
    expect(out.map((c) => c.logEntry?.seq ?? null)).toEqual([5, 9, null]);
  });
});
