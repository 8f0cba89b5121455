import type { EventStore, RecordStationReport } from '@metrology-ledger/ledger';
import { as, startTestApp, TEST_KEYS } from './testApp';

type Report = RecordStationReport;
const receipt = (n: number) => ({ messageId: `CP-H:m-${n}`, receivedAt: `2025-09-01T06:${String(n).padStart(2, '0')}:00.000Z`, source: `kafka:ocpp-frames/0@${n}`, messageSha256: String(n).padStart(64, '0') });
const base = (n: number, action: string, ocppVersion: '1.6' | '2.0.1' = '1.6') => ({ stationId: 'CP-H', ocppVersion, action, receipt: receipt(n) });

/** A firmware update as a CP800 reports it over OCPP, in the order sent. */
export const STATION_HISTORY: Report[] = [
  { type: 'StationBootReported', data: { ...base(1, 'BootNotification'), vendor: 'Wallbox-Werk', model: 'CP800', firmwareVersion: '2.1.0' } },
  { type: 'SecurityEventReported', data: { ...base(2, 'SecurityEventNotification'), eventType: 'SettingSystemTime', timestamp: '2025-09-01T06:01:59Z', techInfo: 'NTP' } },
  ...['Downloading', 'Downloaded', 'Installing', 'Installed'].map((status, i): Report => ({ type: 'FirmwareStatusReported', data: { ...base(3 + i, 'SignedFirmwareStatusNotification'), status, requestId: 9 } })),
  { type: 'SecurityEventReported', data: { ...base(7, 'SecurityEventNotification'), eventType: 'FirmwareUpdated', timestamp: '2025-09-01T06:06:59Z' } },
  { type: 'StationBootReported', data: { ...base(8, 'BootNotification', '2.0.1'), vendor: 'Wallbox-Werk', model: 'CP800', firmwareVersion: '2.2.0', reason: 'FirmwareUpdate' } },
  { type: 'SecurityEventReported', data: { ...base(9, 'SecurityEventNotification', '2.0.1'), eventType: 'InvalidFirmwareSignature', timestamp: '2025-09-01T06:08:59Z' } },
  { type: 'LogUploadStatusReported', data: { ...base(10, 'LogStatusNotification', '2.0.1'), status: 'Uploaded', requestId: 4 } },
];

/**
 * The auditor's station history endpoint over a ledger on `openStore`'s store (SQLite in memory,
 * PostgreSQL in a schema of its own): everything the station reported, in receipt order whatever the
 * page size, narrowed by kind, for auditors only, and only this station's.
 */
export function stationHistoryEndpointContract(name: string, openStore: () => Promise<EventStore & { close(): Promise<void> }>): void {
  describe(`GET /auditor/stations/:id/history (${name})`, () => {
    let t: Awaited<ReturnType<typeof startTestApp>>;
    let store: EventStore & { close(): Promise<void> };

    beforeAll(async () => {
      store = await openStore();
      t = await startTestApp({}, store);
      for (const report of STATION_HISTORY) await t.ledger.recordStationReport(report);
      await t.ledger.recordStationReport({ ...STATION_HISTORY[0], data: { ...STATION_HISTORY[0].data, stationId: 'CP-H-2' } } as Report);
    });
    afterAll(async () => {
      await t.app.close();
      await store.close();
    });

    const get = (query: Record<string, string | number>, key = TEST_KEYS.auditor) => t.http.get('/auditor/stations/CP-H/history').query(query).set(as(key));

    async function all(query: Record<string, string | number>) {
      const items: Record<string, unknown>[] = [];
      let after: string | undefined;
      do {
        const r = await get({ ...query, ...(after ? { after } : {}) });
        expect(r.status).toBe(200);
        items.push(...r.body.items);
        after = r.body.nextCursor ?? undefined;
      } while (after);
      return items;
    }

    it('lists everything the station reported in the order received, the same whatever the page size', async () => {
      const one = await all({ limit: 1 });
      expect(one.map((i) => (i.receipt as { messageId: string }).messageId)).toEqual(STATION_HISTORY.map((r) => r.data.receipt.messageId));
      expect(one.map((i) => i.type)).toEqual(STATION_HISTORY.map((r) => r.type));
      expect(await all({ limit: 500 })).toEqual(one);
      expect(await all({ limit: 3 })).toEqual(one);
      expect(one.every((i) => i.stationId === 'CP-H' && typeof i.revision === 'number' && i.streamId === one[0].streamId)).toBe(true);
    });

    it('shows the firmware versions with the boot that reported them, and the version before a change', async () => {
      const boots = await all({ kind: 'boot' });
      expect(boots).toEqual([
        expect.objectContaining({ type: 'StationBootReported', firmwareVersion: '2.1.0', receipt: expect.objectContaining({ messageId: 'CP-H:m-1', source: 'kafka:ocpp-frames/0@1' }) }),
        expect.objectContaining({ type: 'StationBootReported', firmwareVersion: '2.2.0', previousFirmwareVersion: '2.1.0', reason: 'FirmwareUpdate', ocppVersion: '2.0.1' }),
      ]);
      expect(boots[0]).not.toHaveProperty('previousFirmwareVersion');
    });

    it('narrows to firmware status progression, security events and log uploads', async () => {
      expect((await all({ kind: 'firmware-status' })).map((i) => i.status)).toEqual(['Downloading', 'Downloaded', 'Installing', 'Installed']);
      expect((await all({ kind: 'security-event' })).map((i) => [i.eventType, i.timestamp])).toEqual([
        ['SettingSystemTime', '2025-09-01T06:01:59Z'],
        ['FirmwareUpdated', '2025-09-01T06:06:59Z'],
        ['InvalidFirmwareSignature', '2025-09-01T06:08:59Z'],
      ]);
      expect(await all({ kind: 'log-upload' })).toEqual([expect.objectContaining({ status: 'Uploaded', requestId: 4, action: 'LogStatusNotification' })]);
    });

    it('refuses an unknown kind, other roles, and answers an empty list for a station without history', async () => {
      expect((await get({ kind: 'everything' })).status).toBe(400);
      expect((await get({}, TEST_KEYS.emsp)).status).toBe(403);
      expect((await get({}, TEST_KEYS.operator)).status).toBe(403);
      expect((await t.http.get('/auditor/stations/CP-H/history')).status).toBe(401);
      const none = await t.http.get('/auditor/stations/CP-NONE/history').set(as(TEST_KEYS.auditor));
      expect(none.body).toEqual({ items: [], nextCursor: null });
    });
  });
}
