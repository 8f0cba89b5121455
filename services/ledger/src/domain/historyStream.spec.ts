import { deciderSpecification } from '../testing/deciderSpecification';
import { historyStream, type RecordStationReport } from './historyStream';
import type { StationBootReported, StationHistoryEvent } from './LedgerEvent';

const receipt = (messageId: string, messageSha256?: string) => ({ messageId, receivedAt: '2025-03-01T10:00:00Z', source: 'kafka:ocpp-frames/0@1', ...(messageSha256 ? { messageSha256 } : {}) });
const boot = (messageId: string, firmwareVersion: string | undefined, sha = `h-${messageId}`): StationBootReported => ({
  type: 'StationBootReported',
  data: { stationId: 'CP-1', ocppVersion: '2.0.1', action: 'BootNotification', vendor: 'Vendor', model: 'CP800', ...(firmwareVersion ? { firmwareVersion } : {}), reason: 'PowerUp', receipt: receipt(messageId, sha) },
});
const securityEvent = (messageId: string, eventType = 'SettingSystemTime', timestamp = '2025-03-01T09:59:58Z'): StationHistoryEvent => ({
  type: 'SecurityEventReported',
  data: { stationId: 'CP-1', ocppVersion: '1.6', action: 'SecurityEventNotification', eventType, timestamp, receipt: receipt(messageId, `h-${messageId}`) },
});
const firmwareStatus = (messageId: string, status: string): StationHistoryEvent => ({
  type: 'FirmwareStatusReported',
  data: { stationId: 'CP-1', ocppVersion: '1.6', action: 'SignedFirmwareStatusNotification', status, requestId: 7, receipt: receipt(messageId, `h-${messageId}`) },
});
const changed = (e: StationBootReported, previousFirmwareVersion: string): StationBootReported => ({ ...e, data: { ...e.data, previousFirmwareVersion } });
const given = deciderSpecification(historyStream);

describe('history stream decider (what a station reported over OCPP)', () => {
  it('records a first boot with its firmware version, without a version before', () => given([]).when(boot('b1', '1.4.2')).then([boot('b1', '1.4.2')]));
  it('records a boot with the same firmware version as the last one as it is', () => given([boot('b1', '1.4.2')]).when(boot('b2', '1.4.2')).then([boot('b2', '1.4.2')]));
  it('records a boot with another firmware version with the version before', () =>
    given([boot('b1', '1.4.2'), securityEvent('s1', 'FirmwareUpdated')]).when(boot('b2', '1.5.0')).then([changed(boot('b2', '1.5.0'), '1.4.2')]));
  it('compares with the last boot that reported a version, not with one that reported none', () =>
    given([boot('b1', '1.4.2'), boot('b2', undefined)]).when(boot('b3', '1.5.0')).then([changed(boot('b3', '1.5.0'), '1.4.2')]));
  it('never takes a version before from the caller', () => given([]).when(changed(boot('b1', '1.5.0'), 'forged') as RecordStationReport).then([boot('b1', '1.5.0')]));
  it('skips a redelivery: same message id, same frame', () => given([boot('b1', '1.4.2')]).when(boot('b1', '1.4.2')).thenNothingHappened());
  it('skips a resent security event (same OCPP message id and frame)', () => given([securityEvent('s1')]).when(securityEvent('s1')).thenNothingHappened());
  it('records the same message id with another frame', () => given([boot('b1', '1.4.2')]).when(boot('b1', '1.5.0', 'other-frame')).then([changed(boot('b1', '1.5.0', 'other-frame'), '1.4.2')]));
  it('records each step of a firmware update in the order received', () =>
    given([firmwareStatus('f1', 'Downloading'), firmwareStatus('f2', 'Downloaded')]).when(firmwareStatus('f3', 'Installing')).then([firmwareStatus('f3', 'Installing')]));
  it('refuses a security event whose time is not ISO 8601', () => given([]).when(securityEvent('s1', 'SettingSystemTime', 'yesterday')).thenThrows('iso-8601'));
  it('refuses a security event without a type', () => given([]).when(securityEvent('s1', '')).thenThrows('station-report'));
  it('refuses a firmware status without a status', () => given([]).when(firmwareStatus('f1', '')).thenThrows('station-report'));
  it('refuses a boot without a model', () => given([]).when({ type: 'StationBootReported', data: { ...boot('b1', '1').data, model: '' } }).thenThrows('station-report'));
  it('refuses a station id that breaks the rule', () => given([]).when({ type: 'StationBootReported', data: { ...boot('b1', '1').data, stationId: 'CP/1' } }).thenThrows('station-id'));
});
