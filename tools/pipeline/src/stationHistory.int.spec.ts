import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RPCClient } from 'ocpp-rpc';
import { Ledger } from '@metrology-ledger/ledger';
import { ensureKafka, KafkaPipelineHarness } from './KafkaPipelineHarness';
import { startStandaloneEdge, station } from './testing/ocppStations';

// Station history end to end on the built services: stations over OCPP 1.6 and 2.0.1 (ocpp-rpc
// clients, security profile 2) boot and report a security event (and 1.6 a diagnostics upload) → the edge (standalone) → Kafka
// `ocpp-frames` → ingest → ledger in PostgreSQL → query: the auditor's history endpoint shows both,
// each under the frame it came in and its Kafka position.

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const AUDITOR = `auditor-${randomBytes(12).toString('hex')}`;

beforeAll(() => ensureKafka());

describe('OCPP station notifications → built edge → Kafka → built ingest → PostgreSQL → built query', () => {
  const h = new KafkaPipelineHarness();
  const dir = mkdtempSync(join(tmpdir(), 'ocpp-history-'));
  const ids = { '1.6': `CP-HIST16-${h.suffix}`, '2.0.1': `CP-HIST201-${h.suffix}` };
  const passwords: Record<string, string> = { [ids['1.6']]: `pw-${randomBytes(12).toString('hex')}`, [ids['2.0.1']]: `pw-${randomBytes(12).toString('hex')}` };
  const clients: RPCClient[] = [];

  afterAll(async () => {
    for (const c of clients) await c.close({ force: true }).catch(() => undefined);
    await h.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it("shows each station's boot (firmware version) and security event to the auditor, under its frame and Kafka position", async () => {
    await h.prepareEmpty();
    const { url, ca } = await startStandaloneEdge(h, dir, passwords, 'edge-history');
    const ingest = h.startIngest();

    const s16 = station(url, ids['1.6'], 'ocpp1.6', passwords[ids['1.6']], ca);
    clients.push(s16.client);
    await s16.client.connect();
    await s16.client.call('BootNotification', { chargePointVendor: 'ChargePoint', chargePointModel: 'CP800', chargePointSerialNumber: 'CP800-16', firmwareVersion: '1.0.0' });
    await s16.client.call('SecurityEventNotification', { type: 'SettingSystemTime', timestamp: '2025-09-01T06:00:00Z', techInfo: 'NTP' });
    await s16.client.call('DiagnosticsStatusNotification', { status: 'Uploaded' });

    const s201 = station(url, ids['2.0.1'], 'ocpp2.0.1', passwords[ids['2.0.1']], ca);
    clients.push(s201.client);
    await s201.client.connect();
    await s201.client.call('BootNotification', { reason: 'FirmwareUpdate', chargingStation: { vendorName: 'ChargePoint', model: 'CP800', serialNumber: 'CP800-201', firmwareVersion: '1.1.0' } });
    await s201.client.call('SecurityEventNotification', { type: 'TamperDetectionActivated', timestamp: '2025-09-01T06:01:00Z', techInfo: 'housing opened' });

    const ledger = new Ledger(h.store);
    const held = async (stationId: string) => {
      let n = 0;
      for await (const e of ledger.eventsOf(ledger.stationStream(stationId, 'history'))) n += e.event.type === 'UnreadableEvent' ? 0 : 1;
      return n;
    };
    const deadline = Date.now() + 60_000;
    await h.waitFor(async () => {
      if (Date.now() > deadline) throw new Error(`the ledger did not get the station history in time; ingest said:\n${h.outputOf(ingest).slice(-3000)}`);
      return (await held(ids['1.6'])) >= 3 && (await held(ids['2.0.1'])) >= 2;
    }, ingest);

    const { url: query } = await h.startQuery(`${AUDITOR}=auditor`);
    const history = async (stationId: string, params = '') => {
      const r = await fetch(`${query}/auditor/stations/${stationId}/history${params}`, { headers: { Authorization: `Bearer ${AUDITOR}` } });
      expect(r.status).toBe(200);
      return (await r.json()) as { items: Record<string, unknown>[]; nextCursor: string | null };
    };
    const receiptOf = (identity: string, frame: string) =>
      expect.objectContaining({ messageId: `${identity}:${JSON.parse(frame)[1]}`, messageSha256: sha256(frame), source: expect.stringMatching(new RegExp(`^kafka:${h.topics.ocppFrames}/\\d@\\d+$`)) });
    const frames = (sent: string[]) => sent.filter((t) => JSON.parse(t)[0] === 2);

    const [boot16, event16, diagnostics16] = frames(s16.sent);
    expect(await history(ids['1.6'])).toEqual({
      items: [
        expect.objectContaining({ type: 'StationBootReported', ocppVersion: '1.6', vendor: 'ChargePoint', model: 'CP800', serialNumber: 'CP800-16', firmwareVersion: '1.0.0', receipt: receiptOf(ids['1.6'], boot16) }),
        expect.objectContaining({ type: 'SecurityEventReported', ocppVersion: '1.6', eventType: 'SettingSystemTime', timestamp: '2025-09-01T06:00:00Z', techInfo: 'NTP', receipt: receiptOf(ids['1.6'], event16) }),
        expect.objectContaining({ type: 'LogUploadStatusReported', action: 'DiagnosticsStatusNotification', status: 'Uploaded', receipt: receiptOf(ids['1.6'], diagnostics16) }),
      ],
      nextCursor: null,
    });
    const [boot201, event201] = frames(s201.sent);
    expect((await history(ids['2.0.1'], '?kind=boot')).items).toEqual([
      expect.objectContaining({ ocppVersion: '2.0.1', firmwareVersion: '1.1.0', reason: 'FirmwareUpdate', receipt: receiptOf(ids['2.0.1'], boot201) }),
    ]);
    expect((await history(ids['2.0.1'], '?kind=security-event')).items).toEqual([
      expect.objectContaining({ eventType: 'TamperDetectionActivated', techInfo: 'housing opened', receipt: receiptOf(ids['2.0.1'], event201) }),
    ]);
    const report = await fetch(`${query}/auditor/stations/${ids['1.6']}/report?format=json`, { headers: { Authorization: `Bearer ${AUDITOR}` } }).then((r) => r.json());
    expect(report.stationFirmware.current).toEqual(expect.objectContaining({ version: '1.0.0', messageId: `${ids['1.6']}:${JSON.parse(boot16)[1]}` }));
  }, 120_000);
});
