import { Ledger, SqliteEventStore } from '@metrology-ledger/ledger';
import { SignedTestStation } from '../testing/SignedTestStation';
import { stationLedgerLines } from './stationLedgerLines';

describe('stationLedgerLines', () => {
  it("exports every stream of the station in the ledger's order, and no stream of a station sharing its prefix", async () => {
    const ledger = new Ledger(new SqliteEventStore(':memory:'));
    for (const id of ['CP-1', 'CP-1-2']) {
      const s = new SignedTestStation(id);
      await ledger.registerKey({ stationId: id, publicKey: s.publicKey, validFrom: '2025-01-01T00:00:00Z' });
      await ledger.recordDataset(s.dataset('1'));
      await ledger.recordCommissioning(id, { commissionedAt: '2025-01-01T00:00:00Z' });
      const receipt = { messageId: `${id}:boot-1`, receivedAt: '2025-01-01T00:00:00Z', source: 'kafka:ocpp-frames/0@1', messageSha256: 'ab'.repeat(32) };
      await ledger.recordStationReport({ type: 'StationBootReported', data: { stationId: id, ocppVersion: '1.6', action: 'BootNotification', vendor: 'V', model: 'CP800', firmwareVersion: '2.1.0', receipt } });
    }
    const out: { streamId: string; type: string; data: { stationId: string } }[] = [];
    for await (const line of stationLedgerLines(ledger, 'CP-1')) out.push(JSON.parse(line));
    expect(out.map((l) => l.type)).toEqual(['StationKeyRegistered', 'DatasetRecorded', 'StationCommissioningRecorded', 'StationBootReported']);
    expect(out.every((l) => l.data.stationId === 'CP-1')).toBe(true);
  });
});
