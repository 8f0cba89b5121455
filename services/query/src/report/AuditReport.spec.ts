import type { SessionView } from '../domain/SessionView';
import { AuditReportFold, buildAuditReport, MAX_REJECTION_CODES } from './AuditReport';

const session = (counter: string | number, end: string, energy: string | null, status: SessionView['status'] = 'recorded'): SessionView =>
  ({ streamId: 's1', counter: String(counter), endTime: end, recordedAt: end, energy, status, verdict: 'valid' }) as SessionView;

describe('buildAuditReport', () => {
  const report = buildAuditReport(
    {
      stationId: 'CP-1',
      sessions: [session(1, '2025-01-01T10:00:00Z', '1.5'), session(2, '2025-01-01T12:00:00Z', '2.25'), session(4, '2025-01-02T09:00:00Z', '3', 'conflict')],
      gaps: [{ streamId: 's1', publicKey: 'k', highestCounter: '4', gaps: [{ from: '3', to: '3' }], missing: '1' }],
      rejectionCodes: ['invalid-signature', 'invalid-signature', 'unknown-station'],
      duplicates: 2,
      metrologyLog: [
        { time: '2025-01-01T13:00:00Z', event: 'ClockSync', metadata: null },
        { time: '2025-01-01T01:00:00Z', event: 'ClockUnsync', metadata: null },
        { time: '2025-01-02T01:00:00Z', event: 'ClockUnsync', metadata: null },
        { time: '2025-01-01T05:00:00Z', event: 'FirmwareInstalled', metadata: 'LRSHash: ab, LRSVersion: 1.0.0' },
      ],
    },
    new Date('2025-02-01T00:00:00Z'),
  );

  it('sums compensated energy per day, leaving conflicts out of the figures', () => {
    expect(report.energyPerDay).toEqual([
      { day: '2025-01-01', energy: 3.75, sessions: 2 },
      { day: '2025-01-02', energy: 0, sessions: 1 },
    ]);
    expect(report.sessionsWithoutEnergy).toBe(1);
  });

  it('counts outcomes and pairs clock-unsync windows in time order', () => {
    expect(report.outcomes).toEqual({ valid: 2, conflicts: 1, rejected: { 'invalid-signature': 2, 'unknown-station': 1 }, duplicates: 2 });
    expect(report.clockUnsync).toEqual([
      { from: '2025-01-01T01:00:00Z', to: '2025-01-01T13:00:00Z' },
      { from: '2025-01-02T01:00:00Z', to: null },
    ]);
    expect(report.firmware).toEqual([{ time: '2025-01-01T05:00:00Z', event: 'FirmwareInstalled', detail: 'LRSHash: ab, LRSVersion: 1.0.0' }]);
    expect(report.streams[0]).toMatchObject({ lowest: '1', highest: '4', recorded: 3, missingCount: '1', missing: [{ from: '3', to: '3' }] });
  });
});

describe('AuditReportFold', () => {
  it('counts a session whose counter or energy cannot be read, without a figure and without throwing', () => {
    const fold = new AuditReportFold();
    fold.addSession(session('not-a-number', '2025-01-01T10:00:00Z', 'Infinity'));
    fold.addSession(session('1' + '0'.repeat(60), '2025-01-01T11:00:00Z', '1e400'));
    fold.addSession(session(7, '2025-01-01T12:00:00Z', '2'));
    const r = fold.build({ stationId: 'CP-1', gaps: [{ streamId: 's1', publicKey: 'k', highestCounter: '1' + '0'.repeat(60), gaps: [{ from: '8', to: '9'.repeat(60) }], missing: '9'.repeat(60) }] });
    expect(r.energyPerDay).toEqual([{ day: '2025-01-01', energy: 2, sessions: 3 }]);
    expect(r.sessionsWithoutEnergy).toBe(2);
    expect(r.streams[0]).toMatchObject({ lowest: '7', recorded: 3, missingCount: '9'.repeat(60) });
  });

  it('keeps rejection codes bounded, counting the rest under other', () => {
    const fold = new AuditReportFold();
    for (let i = 0; i < MAX_REJECTION_CODES + 5; i++) fold.addRejection(`code-${i}`);
    const r = fold.build({ stationId: 'CP-1', gaps: [] });
    expect(Object.keys(r.outcomes.rejected)).toHaveLength(MAX_REJECTION_CODES + 1);
    expect(r.outcomes.rejected.other).toBe(5);
  });
});
