import { Ledger, SqliteEventStore } from '@metrology-ledger/ledger';
import { rebuildReadModels } from '../readmodel/rebuildReadModels';
import { SessionReadModel } from '../readmodel/SessionReadModel';
import { SignedTestStation } from '../testing/SignedTestStation';
import { collectAuditReport } from './collectAuditReport';

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
});
