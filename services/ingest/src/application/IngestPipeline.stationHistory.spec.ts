import { createHash } from 'node:crypto';
import { Ledger, SqliteEventStore, type LedgerEvent } from '@metrology-ledger/ledger';
import { IngestPipeline } from './IngestPipeline';

// Frames as a station sends them, in the shapes of the official OCPP JSON schemas (ocpp-rpc 2.2.1's
// lib/schemas/ocpp1_6.json and ocpp2_0_1.json), wrapped in the record services/ocpp-edge writes.

const STATION = 'CP-000042';
let sequence = 0;

function edgeRecord(ocppVersion: '1.6' | '2.0.1', action: string, payload: unknown, at: { ocppMessageId?: string; receivedAt?: string } = {}) {
  const ocppMessageId = at.ocppMessageId ?? `msg-${++sequence}`;
  const frame = JSON.stringify([2, ocppMessageId, action, payload]);
  const frameSha256 = createHash('sha256').update(frame, 'utf8').digest('hex');
  const record = {
    kind: 'ocpp-frame',
    messageId: `${STATION}:${ocppMessageId}`,
    identity: STATION,
    ocppVersion,
    securityProfile: 3,
    clientCertSha256: 'ab'.repeat(32),
    receivedAt: at.receivedAt ?? '2025-09-01T06:00:00.000Z',
    edgeInstance: 'edge-b',
    messageType: 'CALL',
    action,
    ocppMessageId,
    frame,
    frameSha256,
  };
  return { text: JSON.stringify(record), messageId: record.messageId, frameSha256 };
}

const boot16 = (firmwareVersion: string) => ({
  chargePointVendor: 'Wallbox-Werk',
  chargePointModel: 'CP800',
  chargePointSerialNumber: 'CP800-0042',
  firmwareVersion,
  meterType: 'EM-340',
  meterSerialNumber: 'MS-77',
});
const boot201 = (firmwareVersion: string, reason = 'PowerUp') => ({ reason, chargingStation: { vendorName: 'Wallbox-Werk', model: 'CP800', serialNumber: 'CP800-0042', firmwareVersion } });

async function setUp() {
  const ledger = new Ledger(new SqliteEventStore(':memory:'));
  return { ledger, pipeline: new IngestPipeline(ledger, { now: () => '2025-09-01T06:00:01.000Z' }) };
}

async function history(ledger: Ledger): Promise<LedgerEvent[]> {
  const out: LedgerEvent[] = [];
  for await (const e of ledger.eventsOf(ledger.stationStream(STATION, 'history'))) out.push(e.event as LedgerEvent);
  return out;
}

async function rejections(ledger: Ledger) {
  const out: Record<string, unknown>[] = [];
  for await (const e of ledger.eventsOf(ledger.stationStream(STATION, 'rejections'))) out.push(e.event.data as unknown as Record<string, unknown>);
  return out;
}

describe('IngestPipeline: station history from OCPP notifications', () => {
  it('records a 1.6 BootNotification with the firmware version, under the record id, the frame hash and the Kafka position', async () => {
    const { ledger, pipeline } = await setUp();
    const boot = edgeRecord('1.6', 'BootNotification', boot16('2.1.0'));
    const out = await pipeline.process(boot.text, 'kafka:ocpp-frames/2@41');
    expect(out).toMatchObject({ kind: 'recorded', messageId: boot.messageId, stationId: STATION });
    expect(await history(ledger)).toEqual([
      {
        type: 'StationBootReported',
        data: {
          stationId: STATION,
          ocppVersion: '1.6',
          action: 'BootNotification',
          vendor: 'Wallbox-Werk',
          model: 'CP800',
          firmwareVersion: '2.1.0',
          serialNumber: 'CP800-0042',
          meterType: 'EM-340',
          meterSerialNumber: 'MS-77',
          receipt: { messageId: boot.messageId, receivedAt: '2025-09-01T06:00:01.000Z', source: 'kafka:ocpp-frames/2@41', messageSha256: boot.frameSha256 },
        },
      },
    ]);
  });

  it('records a 2.0.1 BootNotification (chargingStation, reason), and the firmware version before when a boot reports another', async () => {
    const { ledger, pipeline } = await setUp();
    await pipeline.process(edgeRecord('2.0.1', 'BootNotification', boot201('2.1.0')).text, 'kafka:ocpp-frames/0@1');
    await pipeline.process(edgeRecord('2.0.1', 'BootNotification', boot201('2.2.0', 'FirmwareUpdate')).text, 'kafka:ocpp-frames/0@2');
    const [first, second] = await history(ledger);
    expect(first.data).toMatchObject({ ocppVersion: '2.0.1', vendor: 'Wallbox-Werk', model: 'CP800', serialNumber: 'CP800-0042', firmwareVersion: '2.1.0', reason: 'PowerUp' });
    expect(first.data).not.toHaveProperty('previousFirmwareVersion');
    expect(second.data).toMatchObject({ firmwareVersion: '2.2.0', reason: 'FirmwareUpdate', previousFirmwareVersion: '2.1.0' });
  });

  it('records security events of both versions (time set, firmware updated, invalid signature, tamper detection) with their station time and techInfo', async () => {
    const { ledger, pipeline } = await setUp();
    const sent: [('1.6' | '2.0.1'), Record<string, string>][] = [
      ['1.6', { type: 'SettingSystemTime', timestamp: '2025-09-01T05:59:00Z', techInfo: 'NTP' }],
      ['1.6', { type: 'InvalidFirmwareSignature', timestamp: '2025-09-01T05:59:10.5Z' }],
      ['2.0.1', { type: 'FirmwareUpdated', timestamp: '2025-09-01T05:59:20+02:00', techInfo: '2.2.0' }],
      ['2.0.1', { type: 'TamperDetectionActivated', timestamp: '2025-09-01T05:59:30Z', techInfo: 'housing opened' }],
    ];
    for (const [version, payload] of sent) expect(await pipeline.process(edgeRecord(version, 'SecurityEventNotification', payload).text, 'test')).toMatchObject({ kind: 'recorded' });
    const events = await history(ledger);
    expect(events.map((e) => e.type)).toEqual(Array(4).fill('SecurityEventReported'));
    expect(events.map((e) => e.data)).toEqual(sent.map(([ocppVersion, p]) => expect.objectContaining({ ocppVersion, eventType: p.type, timestamp: p.timestamp, ...(p.techInfo ? { techInfo: p.techInfo } : {}) })));
    expect(events[1].data).not.toHaveProperty('techInfo');
  });

  it('records firmware update progress (1.6 FirmwareStatus and SignedFirmwareStatus, 2.0.1 with requestId) and log uploads (LogStatus, 1.6 DiagnosticsStatus)', async () => {
    const { ledger, pipeline } = await setUp();
    await pipeline.process(edgeRecord('1.6', 'FirmwareStatusNotification', { status: 'Downloading' }).text, 'test');
    await pipeline.process(edgeRecord('1.6', 'SignedFirmwareStatusNotification', { status: 'SignatureVerified', requestId: 12 }).text, 'test');
    await pipeline.process(edgeRecord('2.0.1', 'FirmwareStatusNotification', { status: 'InstallRebooting', requestId: 13 }).text, 'test');
    await pipeline.process(edgeRecord('2.0.1', 'LogStatusNotification', { status: 'Uploaded', requestId: 5 }).text, 'test');
    await pipeline.process(edgeRecord('1.6', 'DiagnosticsStatusNotification', { status: 'UploadFailed' }).text, 'test');
    const events = await history(ledger);
    expect(events.map((e) => [e.type, (e.data as { action: string }).action, (e.data as { status: string }).status, (e.data as { requestId?: number }).requestId])).toEqual([
      ['FirmwareStatusReported', 'FirmwareStatusNotification', 'Downloading', undefined],
      ['FirmwareStatusReported', 'SignedFirmwareStatusNotification', 'SignatureVerified', 12],
      ['FirmwareStatusReported', 'FirmwareStatusNotification', 'InstallRebooting', 13],
      ['LogUploadStatusReported', 'LogStatusNotification', 'Uploaded', 5],
      ['LogUploadStatusReported', 'DiagnosticsStatusNotification', 'UploadFailed', undefined],
    ]);
  });

  it('adds nothing for the same record delivered again or the station resending the notification', async () => {
    const { ledger, pipeline } = await setUp();
    const first = edgeRecord('1.6', 'SecurityEventNotification', { type: 'SettingSystemTime', timestamp: '2025-09-01T05:59:00Z' }, { ocppMessageId: 'sec-1' });
    const resent = edgeRecord('1.6', 'SecurityEventNotification', { type: 'SettingSystemTime', timestamp: '2025-09-01T05:59:00Z' }, { ocppMessageId: 'sec-1', receivedAt: '2025-09-01T06:05:00.000Z' });
    expect(resent.text).not.toBe(first.text);
    expect((await pipeline.process(first.text, 'kafka:ocpp-frames/0@1')).events).toHaveLength(1);
    expect((await pipeline.process(first.text, 'kafka:ocpp-frames/0@1')).events).toEqual([]);
    expect((await pipeline.process(resent.text, 'kafka:ocpp-frames/0@9')).events).toEqual([]);
    expect(await history(ledger)).toHaveLength(1);
  });

  it.each([
    ['a 1.6 BootNotification without chargePointModel', '1.6', 'BootNotification', { chargePointVendor: 'V', firmwareVersion: '1' }, /chargePointModel/],
    ['a 2.0.1 boot payload sent as 1.6', '1.6', 'BootNotification', boot201('2.1.0'), /OCPP 1\.6 JSON schema of BootNotification\.req/],
    ['a 1.6 boot payload sent as 2.0.1', '2.0.1', 'BootNotification', boot16('2.1.0'), /OCPP 2\.0\.1 JSON schema/],
    ['a security event whose time is not a date-time', '2.0.1', 'SecurityEventNotification', { type: 'SettingSystemTime', timestamp: 'yesterday' }, /timestamp/],
    ['a firmware status OCPP does not know', '1.6', 'FirmwareStatusNotification', { status: 'Flashing' }, /status/],
    ['a security event whose techInfo is over the schema limit', '1.6', 'SecurityEventNotification', { type: 'TamperDetectionActivated', timestamp: '2025-09-01T05:59:30Z', techInfo: 'x'.repeat(256) }, /255/],
  ])('rejects %s with the reason, keeping the record, once', async (_what, version, action, payload, why) => {
    const { ledger, pipeline } = await setUp();
    const record = edgeRecord(version as '1.6' | '2.0.1', action, payload);
    const out = await pipeline.process(record.text, 'kafka:ocpp-frames/1@3');
    expect(out).toMatchObject({ kind: 'rejected', code: 'bad-notification', messageId: record.messageId, stationId: STATION });
    expect(out.kind === 'rejected' && out.reason).toMatch(why);
    expect(out.kind === 'rejected' && out.reason).toContain(`"${action}" notification cannot be recorded as station history`);
    await pipeline.process(record.text, 'kafka:ocpp-frames/1@3');
    const [rejected, ...more] = await rejections(ledger);
    expect(more).toEqual([]);
    expect(rejected).toMatchObject({ code: 'bad-notification', raw: record.text, receipt: { messageId: record.messageId, messageSha256: record.frameSha256, source: 'kafka:ocpp-frames/1@3' } });
    expect(await history(ledger)).toEqual([]);
  });

  it('rejects a boot whose vendor is empty text by the ledger rule, never dropping it', async () => {
    const { ledger, pipeline } = await setUp();
    const out = await pipeline.process(edgeRecord('1.6', 'BootNotification', { ...boot16('1'), chargePointVendor: '' }).text, 'test');
    expect(out).toMatchObject({ kind: 'rejected', code: 'ledger-rule' });
    expect(out.kind === 'rejected' && out.reason).toContain('station-report');
    expect(await rejections(ledger)).toHaveLength(1);
  });

  it('leaves frames that are no station notification to the signed-value path', async () => {
    const { ledger, pipeline } = await setUp();
    const out = await pipeline.process(edgeRecord('2.0.1', 'SignedFirmwareStatusNotification', { status: 'Installed' }).text, 'test');
    expect(out).toMatchObject({ kind: 'nothing-to-record' });
    expect(await history(ledger)).toEqual([]);
  });
});
