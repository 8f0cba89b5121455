import { writeOcppSignedMeterValue } from '@metrology-ledger/ocmf';
import type { MetrologyLogMessage, StationFaultMessage } from '../sim/SimulationMessage';

/** OCPP-J versions the simulated stations speak. */
export type OcppVersion = '1.6' | '2.0.1';

/** The CP800's signing method, as 2.0.1 SignedMeterValueType `signingMethod` names it. */
export const CP800_SIGNING_METHOD = 'ECDSA-secp384r1-SHA256';

/** OCPP's limit on SecurityEventNotification `techInfo` (1.6 security extension and 2.0.1). */
export const TECH_INFO_LIMIT = 255;

/** What a station knows of a session when it reports it: read from the dataset it signed. */
export interface SessionFacts {
  idTag: string;
  beganAt: string;
  endedAt: string;
  meterStartWh: number;
  meterStopWh: number;
}

interface Reading {
  TX?: string;
  TM?: string;
  RV?: number;
  RI?: string;
}

/**
 * The session facts of a CP800 dataset: the token (`ID`), the first and last reading's time and
 * energy register (kWh, as Wh). A dataset whose payload does not parse (a forgery in another form)
 * gives empty facts; the station sends its dataset anyway.
 */
export function sessionFactsOf(ocmf: string, fallbackAt: string): SessionFacts {
  let payload: { ID?: unknown; RD?: unknown } = {};
  try {
    payload = JSON.parse(ocmf.slice(ocmf.indexOf('|') + 1, ocmf.lastIndexOf('|{'))) as typeof payload;
  } catch {
    // keep the empty facts
  }
  const readings = (Array.isArray(payload.RD) ? payload.RD : []).filter((r): r is Reading => typeof r === 'object' && r !== null);
  const energy = readings.filter((r) => r.RI === undefined || r.RI.includes('1.8.0'));
  const first = energy[0];
  const last = energy[energy.length - 1];
  const wh = (r: Reading | undefined) => (typeof r?.RV === 'number' ? Math.round(r.RV * 1000) : 0);
  return {
    idTag: typeof payload.ID === 'string' && payload.ID.length > 0 ? payload.ID.slice(0, 20) : 'UNKNOWN',
    beganAt: ocmfTimeToIso(first?.TM) ?? fallbackAt,
    endedAt: ocmfTimeToIso(last?.TM) ?? fallbackAt,
    meterStartWh: wh(first),
    meterStopWh: wh(last),
  };
}

/** `2025-06-03T07:48:45,000+0000 S` (OCMF's TM) as ISO 8601 UTC; undefined when it is not that form. */
export function ocmfTimeToIso(tm: string | undefined): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}),(\d{3})([+-]\d{2})(\d{2})/.exec(tm ?? '');
  if (!m) return undefined;
  const t = Date.parse(`${m[1]}.${m[2]}${m[3]}:${m[4]}`);
  return Number.isNaN(t) ? undefined : new Date(t).toISOString();
}

/**
 * A signed dataset as an OCPP sampled value. 1.6: `format: "SignedData"`, the value the JSON string
 * `{"signedMeterValue","encodingMethod"}` with the dataset in base64 (the form of the OCA's 1.6
 * signed-meter-values application note; no `publicKey`: the ledger judges by the registered key).
 * 2.0.1: `signedMeterValue` (SignedMeterValueType, no `publicKey` either).
 */
export function signedSampledValue(version: OcppVersion, ocmf: string, context: 'Transaction.End' | 'Sample.Periodic', energyWh: number): Record<string, unknown> {
  if (version === '1.6') {
    const value = JSON.stringify({ signedMeterValue: Buffer.from(ocmf, 'utf8').toString('base64'), encodingMethod: 'OCMF' });
    return { value, format: 'SignedData', context, measurand: 'Energy.Active.Import.Register', unit: 'Wh' };
  }
  return { value: energyWh, context, measurand: 'Energy.Active.Import.Register', unitOfMeasure: { unit: 'Wh' }, signedMeterValue: writeOcppSignedMeterValue(ocmf, CP800_SIGNING_METHOD) };
}

/**
 * A metrology-log entry as SecurityEventNotification: `type` the event (at most 50 characters),
 * `timestamp` its time, `techInfo` its sequence number and the signed text when it fits OCPP's 255
 * characters. The signed entry with its P-384 signature never fits, so the ledger cannot verify a
 * log entry from this frame (see the README).
 */
export function securityEventOf(message: MetrologyLogMessage): { type: string; timestamp: string; techInfo: string } {
  let fields: { seq?: unknown; time?: unknown; event?: unknown } = {};
  try {
    fields = JSON.parse(message.entry.signedText) as typeof fields;
  } catch {
    // an entry that does not parse is still reported
  }
  const event = typeof fields.event === 'string' ? fields.event : 'MetrologyLogEntry';
  const time = typeof fields.time === 'string' && !Number.isNaN(Date.parse(fields.time)) ? new Date(Date.parse(fields.time)).toISOString() : message.sentAt;
  const seq = `metrology-log seq ${typeof fields.seq === 'number' ? fields.seq : '?'}`;
  const withText = `${seq}: ${message.entry.signedText}`;
  return { type: event.slice(0, 50), timestamp: time, techInfo: withText.length <= TECH_INFO_LIMIT ? withText : seq };
}

/**
 * A station fault as OCPP reports it: 1.6 StatusNotification of connector 0 (`Faulted`, the
 * catalogue id as `vendorErrorCode`, the host message as `info`, both cut to 50 characters);
 * 2.0.1 NotifyEvent of the ChargingStation component's `Problem` variable, the id as `techCode`.
 */
export function faultCallOf(version: OcppVersion, message: StationFaultMessage, eventId: number): { action: string; params: Record<string, unknown> } {
  const raised = message.state === 'raised';
  if (version === '1.6') {
    return {
      action: 'StatusNotification',
      params: {
        connectorId: 0,
        errorCode: raised ? 'OtherError' : 'NoError',
        status: raised ? 'Faulted' : 'Available',
        timestamp: message.at,
        vendorId: 'ChargePoint',
        vendorErrorCode: message.faultId.slice(0, 50),
        info: message.hostMessage.slice(0, 50),
      },
    };
  }
  return {
    action: 'NotifyEvent',
    params: {
      generatedAt: message.sentAt,
      seqNo: 0,
      tbc: false,
      eventData: [
        {
          eventId,
          timestamp: message.at,
          trigger: 'Alerting',
          actualValue: raised ? 'true' : 'false',
          techCode: message.faultId.slice(0, 50),
          techInfo: message.hostMessage.slice(0, 500),
          cleared: !raised,
          eventNotificationType: 'HardWiredNotification',
          component: { name: 'ChargingStation' },
          variable: { name: 'Problem' },
        },
      ],
    },
  };
}
