import { complianceDeadlines } from './complianceDeadlines';
import { complianceStatus } from './complianceStatus';

const fault = (faultId: string, severity: string, state: string, at: string) => ({
  stationId: 'CP-1',
  faultId,
  severity,
  hostMessage: 'm',
  state,
  at,
  receipt: { messageId: `${faultId}${at}`, receivedAt: at, source: 't' },
});

describe('complianceStatus', () => {
  it('puts the station out of service while a critical fault is active', () => {
    const s = complianceStatus('CP-1', [
      fault('urn:fault:koala:can-bus-error', 'Minor', 'raised', '2025-01-01T00:00:00Z'),
      fault('urn:fault:koala:eichrecht-meter-mismatch', 'Critical', 'raised', '2025-01-02T00:00:00Z'),
    ]);
    expect(s.outOfService).toBe(true);
    expect(s.reasons[0]).toMatch(/eichrecht-meter-mismatch/);
    expect(s.activeFaults).toHaveLength(2);
  });

  it('clears a fault with its cleared report, whatever order the reports arrived in', () => {
    const s = complianceStatus('CP-1', [
      fault('urn:fault:koala:signature-verification-failed', 'Critical', 'cleared', '2025-01-03T00:00:00Z'),
      fault('urn:fault:koala:signature-verification-failed', 'Critical', 'raised', '2025-01-02T00:00:00Z'),
    ]);
    expect(s).toMatchObject({ outOfService: false, activeFaults: [] });
  });
});

describe('complianceDeadlines', () => {
  const commissioned = { stationId: 'CP-1', commissionedAt: '2025-01-01T00:00:00.000Z' };

  it('gives 6 weeks for the calibration authority, 2 weeks for the Bundesnetzagentur, 8 years of validity', () => {
    const d = complianceDeadlines(commissioned, new Date('2025-01-10T00:00:00Z'));
    expect(d).toEqual([
      expect.objectContaining({ duty: 'notify-calibration-authority', dueAt: '2025-02-12T00:00:00.000Z', state: 'due' }),
      expect.objectContaining({ duty: 'notify-bnetza-commissioning', dueAt: '2025-01-15T00:00:00.000Z', state: 'due' }),
      expect.objectContaining({ duty: 'recalibrate', dueAt: '2033-01-01T00:00:00.000Z', state: 'due' }),
    ]);
  });

  it('marks missed notifications overdue, done ones done, and asks for the decommissioning notice', () => {
    const d = complianceDeadlines({ ...commissioned, bnetzaNotifiedAt: '2025-01-05T00:00:00Z', decommissionedAt: '2026-01-01T00:00:00.000Z' }, new Date('2026-02-01T00:00:00Z'));
    expect(d.map((x) => [x.duty, x.state])).toEqual([
      ['notify-calibration-authority', 'overdue'],
      ['notify-bnetza-commissioning', 'done'],
      ['notify-bnetza-decommissioning', 'overdue'],
    ]);
  });
});
