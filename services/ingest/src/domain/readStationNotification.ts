import type { RecordStationReport } from '@metrology-ledger/ledger';
import { checkOcppRequest } from './checkOcppRequest';

type Version = '1.6' | '2.0.1';

/** The station notifications the ledger keeps as station history, per OCPP version (1.6 with the security whitepaper's messages). */
export const STATION_NOTIFICATIONS: Record<Version, readonly string[]> = {
  '1.6': ['BootNotification', 'FirmwareStatusNotification', 'SignedFirmwareStatusNotification', 'SecurityEventNotification', 'LogStatusNotification', 'DiagnosticsStatusNotification'],
  '2.0.1': ['BootNotification', 'FirmwareStatusNotification', 'SecurityEventNotification', 'LogStatusNotification'],
};

/** Whether a frame's action (as `readOcppFrame` gives it: a CALL's action, or `CALLRESULT`) is a station notification of the version. */
export function isStationNotification(version: Version, action: string): boolean {
  return STATION_NOTIFICATIONS[version].includes(action);
}

/** A station report without its receipt (ingest adds where it came from). */
export type StationReportRead = { [K in RecordStationReport['type']]: { type: K; data: Omit<Extract<RecordStationReport, { type: K }>['data'], 'receipt'> } }[RecordStationReport['type']];

export type NotificationRead = { ok: true; report: StationReportRead } | { ok: false; reason: string };

/**
 * Reads one station notification (an OCPP-J CALL frame as the station sent it) into the station
 * history record the ledger keeps, after checking its payload against the official OCPP schema of
 * its action. Field names per version: 1.6 BootNotification `chargePointVendor`, `chargePointModel`,
 * `firmwareVersion`, `chargePointSerialNumber`, `meterType`, `meterSerialNumber`; 2.0.1
 * `chargingStation.{vendorName, model, firmwareVersion, serialNumber}` and `reason`. Firmware, log
 * and diagnostics status: `status` (and `requestId` where the version has it); security events:
 * `type`, `timestamp`, `techInfo`. A payload that cannot be used is returned with the reason.
 */
export function readStationNotification(frame: string, version: Version, stationId: string): NotificationRead {
  let json: unknown;
  try {
    json = JSON.parse(frame);
  } catch {
    return { ok: false, reason: 'the frame is not JSON' };
  }
  if (!Array.isArray(json) || json[0] !== 2 || typeof json[2] !== 'string') return { ok: false, reason: 'the frame is not an OCPP-J CALL [2,id,action,payload]' };
  const action = json[2];
  const payload: unknown = json[3];
  if (!STATION_NOTIFICATIONS[version].includes(action)) return { ok: false, reason: `${action} is not a station notification of OCPP ${version}` };
  const broken = checkOcppRequest(version, action, payload);
  if (broken !== undefined) return { ok: false, reason: broken };
  const p = payload as Record<string, unknown>;
  const base = { stationId, ocppVersion: version, action };
  switch (action) {
    case 'BootNotification':
      return { ok: true, report: { type: 'StationBootReported', data: { ...base, ...(version === '1.6' ? boot16(p) : boot201(p)) } } };
    case 'SecurityEventNotification':
      return { ok: true, report: { type: 'SecurityEventReported', data: { ...base, eventType: p.type as string, timestamp: p.timestamp as string, ...text('techInfo', p.techInfo) } } };
    case 'FirmwareStatusNotification':
    case 'SignedFirmwareStatusNotification':
      return { ok: true, report: { type: 'FirmwareStatusReported', data: { ...base, status: p.status as string, ...requestIdOf(p) } } };
    default:
      return { ok: true, report: { type: 'LogUploadStatusReported', data: { ...base, status: p.status as string, ...requestIdOf(p) } } };
  }
}

type BootFields = Omit<Extract<StationReportRead, { type: 'StationBootReported' }>['data'], 'stationId' | 'ocppVersion' | 'action'>;

function boot16(p: Record<string, unknown>): BootFields {
  return {
    vendor: p.chargePointVendor as string,
    model: p.chargePointModel as string,
    ...text('firmwareVersion', p.firmwareVersion),
    ...text('serialNumber', p.chargePointSerialNumber ?? p.chargeBoxSerialNumber),
    ...text('meterType', p.meterType),
    ...text('meterSerialNumber', p.meterSerialNumber),
  };
}

function boot201(p: Record<string, unknown>): BootFields {
  const station = p.chargingStation as Record<string, unknown>;
  return {
    vendor: station.vendorName as string,
    model: station.model as string,
    ...text('firmwareVersion', station.firmwareVersion),
    ...text('serialNumber', station.serialNumber),
    ...text('reason', p.reason),
  };
}

function text<K extends string>(key: K, value: unknown): Partial<Record<K, string>> {
  return typeof value === 'string' ? ({ [key]: value } as Record<K, string>) : {};
}

function requestIdOf(p: Record<string, unknown>): { requestId?: number } {
  return typeof p.requestId === 'number' ? { requestId: p.requestId } : {};
}
