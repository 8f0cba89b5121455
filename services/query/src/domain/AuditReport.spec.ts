import { buildAuditReport } from './AuditReport';
import { renderAuditReportHtml } from './renderAuditReport';
import type { SessionView } from './SessionView';

const session = (counter: number, end: string, energy: string | null, status: SessionView['status'] = 'recorded'): SessionView =>
  ({ streamId: 's1', counter: String(counter), endTime: end, recordedAt: end, energy, status, verdict: 'valid' }) as SessionView;

describe('buildAuditReport', () => {
  const report = buildAuditReport(
    {
      stationId: 'CP-1',
      sessions: [session(1, '2025-01-01T10:00:00Z', '1.5'), session(2, '2025-01-01T12:00:00Z', '2.25'), session(4, '2025-01-02T09:00:00Z', '3', 'conflict')],
      gaps: [{ streamId: 's1', publicKey: 'k', highestCounter: '4', gaps: [{ from: '3', to: '3' }] }],
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
  });

  it('counts outcomes and pairs clock-unsync windows in time order', () => {
    expect(report.outcomes).toEqual({ valid: 2, conflicts: 1, rejected: { 'invalid-signature': 2, 'unknown-station': 1 }, duplicates: 2 });
    expect(report.clockUnsync).toEqual([
      { from: '2025-01-01T01:00:00Z', to: '2025-01-01T13:00:00Z' },
      { from: '2025-01-02T01:00:00Z', to: null },
    ]);
    expect(report.firmware).toEqual([{ time: '2025-01-01T05:00:00Z', event: 'FirmwareInstalled', detail: 'LRSHash: ab, LRSVersion: 1.0.0' }]);
    expect(report.streams[0]).toMatchObject({ lowest: '1', highest: '4', recorded: 3, missing: [{ from: '3', to: '3' }] });
  });

  it('renders HTML that escapes what it shows', () => {
    const html = renderAuditReportHtml({ ...report, stationId: '<script>x</script>' });
    expect(html).not.toContain('<script>x');
    expect(html).toContain('&lt;script&gt;');
  });
});
