import { Ledger, SqliteEventStore } from '@metrology-ledger/ledger';
import { rebuildReadModels } from '../readmodel/rebuildReadModels';
import { SessionReadModel } from '../readmodel/SessionReadModel';
import { SignedTestStation } from '../testing/SignedTestStation';
import { collectAuditReport } from './collectAuditReport';
import { renderAuditReportCsv } from './renderAuditReportCsv';
import { renderAuditReportHtml } from './renderAuditReportHtml';

describe('collectAuditReport', () => {
  it("folds only the station's records of the period: duplicates and rejections by receipt time", async () => {
    const ledger = new Ledger(new SqliteEventStore(':memory:'));
    const sessions = new SessionReadModel();
    for (const id of ['CP-1', 'CP-1-2']) {
      const s = new SignedTestStation(id);
      await ledger.recordDataset(s.dataset('1'));
      await ledger.recordDataset(s.dataset('3'));
      await ledger.recordDataset(s.dataset('1', { messageId: `${id}-again`, receivedAt: '2025-06-01T11:00:01Z' }));
      await ledger.recordDataset(s.dataset('1', { messageId: `${id}-later`, receivedAt: '2025-07-01T00:00:00Z' }));
      await ledger.recordRejection({ stationId: id, reason: 'r', code: 'invalid-signature', raw: 'x', receipt: { messageId: `${id}-rej`, receivedAt: '2025-06-01T12:00:00Z', source: 't' } });
    }
    await rebuildReadModels(ledger, sessions);
    const june = await collectAuditReport(ledger, sessions, { stationId: 'CP-1', from: '2025-06-01T00:00:00Z', to: '2025-06-30T00:00:00Z' }, new Date('2025-08-01T00:00:00Z'));
    expect(june.outcomes).toEqual({ valid: 2, conflicts: 0, rejected: { 'invalid-signature': 1 }, duplicates: 1 });
    expect(june.streams).toEqual([expect.objectContaining({ lowest: '1', highest: '3', recorded: 2, missingCount: '1', missing: [{ from: '2', to: '2' }] })]);
    expect(june.energyPerDay).toEqual([{ day: '2025-06-01', energy: 2.5, sessions: 2 }]);
    const all = await collectAuditReport(ledger, sessions, { stationId: 'CP-1' });
    expect(all.outcomes.duplicates).toBe(2);
  });

  it('shows the firmware reported at boot and flags a change without a signed FirmwareInstalled entry naming the version replaced', async () => {
    const ledger = new Ledger(new SqliteEventStore(':memory:'));
    const sessions = new SessionReadModel();
    const boot = (n: number, receivedAt: string, firmwareVersion: string) =>
      ledger.recordStationReport({
        type: 'StationBootReported',
        data: { stationId: 'CP-F', ocppVersion: '1.6', action: 'BootNotification', vendor: 'V', model: 'CP800', firmwareVersion, receipt: { messageId: `CP-F:boot-${n}`, receivedAt, source: 'kafka:ocpp-frames/0@1', messageSha256: String(n).repeat(64) } },
      });
    const logEntry = (seq: number, time: string, event: string, metadata: unknown) =>
      ledger.recordLogEntry({
        stationId: 'CP-F',
        seq,
        time,
        event,
        signedText: JSON.stringify({ stationId: 'CP-F', seq, time, event, metadata }),
        signature: 'sig',
        verification: { verdict: 'valid', reason: 'ok', verifier: 'test', verifiedAt: time },
        receipt: { messageId: `log-${seq}`, receivedAt: time, source: 'test' },
      });
    await boot(1, '2025-05-10T08:00:00Z', '1.0.0');
    await logEntry(1, '2025-05-31T23:00:00Z', 'FirmwareUpdateRequested', { LRSHash: 'aa', LRSVersion: '1.0.0', NewLRSVersion: '1.1.0' });
    await logEntry(2, '2025-05-31T23:50:00Z', 'FirmwareInstalled', 'LRSHash: aa, LRSVersion: 1.0.0');
    await boot(2, '2025-06-01T00:00:00Z', '1.1.0');
    await boot(3, '2025-06-15T00:00:00Z', '1.2.0');
    const june = await collectAuditReport(ledger, sessions, { stationId: 'CP-F', from: '2025-06-01T00:00:00Z', to: '2025-07-01T00:00:00Z' });
    expect(june.stationFirmware).toEqual({
      current: { version: '1.2.0', reportedAt: '2025-06-15T00:00:00Z', messageId: 'CP-F:boot-3' },
      changes: [
        { reportedAt: '2025-06-01T00:00:00Z', from: '1.0.0', to: '1.1.0', messageId: 'CP-F:boot-2', logEntry: { seq: 2, time: '2025-05-31T23:50:00Z' } },
        { reportedAt: '2025-06-15T00:00:00Z', from: '1.1.0', to: '1.2.0', messageId: 'CP-F:boot-3', logEntry: null },
      ],
      unmatched: 1,
    });
    expect(june.notes).toEqual([expect.stringMatching(/^1 firmware changes reported at boot .* no signed FirmwareInstalled entry/)]);
    const may = await collectAuditReport(ledger, sessions, { stationId: 'CP-F', from: '2025-05-01T00:00:00Z', to: '2025-06-01T00:00:00Z' });
    expect(may.stationFirmware).toEqual({ current: { version: '1.0.0', reportedAt: '2025-05-10T08:00:00Z', messageId: 'CP-F:boot-1' }, changes: [], unmatched: 0 });
    const html = renderAuditReportHtml(june);
    expect(html).toContain('Firmware version reported at the last boot: <strong>1.2.0</strong>');
    expect(html).toContain('FirmwareInstalled #2 at 2025-05-31T23:50:00Z');
    expect(html).toContain('no signed FirmwareInstalled entry');
    expect([...renderAuditReportCsv(june)].join('')).toContain('firmware_change_unlogged,2025-06-15T00:00:00Z,1.1.0 -> 1.2.0,\n');
  });
});
