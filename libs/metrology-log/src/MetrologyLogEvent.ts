/** Every event of the CP800 manual's metrology-log table ("Entrées possibles du journal"). */
export const METROLOGY_LOG_EVENTS = [
  'EichrechtServiceStarted',
  'EichrechtServiceStopped',
  'MeterTestPassed',
  'MeterTestFailed',
  'MeterDataCorrupt',
  'ClockSync',
  'ClockUnsync',
  'ClockChanged',
  'FirmwareUpdateRequested',
  'FirmwareDownloaded',
  'FirmwareDownloadFailed',
  'FirmwareInstalled',
  'FirmwareInstallFailed',
  'ChargingStarted',
  'ChargingSuspended',
  'ChargingResumed',
  'ChargingStopped',
  'SigningKeyInvalid',
  'MeterReplaced',
  'StationActivated',
] as const;

export type MetrologyLogEvent = (typeof METROLOGY_LOG_EVENTS)[number];

const EVENTS: ReadonlySet<string> = new Set(METROLOGY_LOG_EVENTS);

export function isMetrologyLogEvent(value: unknown): value is MetrologyLogEvent {
  return typeof value === 'string' && EVENTS.has(value);
}
