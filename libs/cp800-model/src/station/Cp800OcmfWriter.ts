import { isoUtc } from '../isoUtc';
import { CABLE_RESISTANCE_UOHM, encodedMeterSerial, type ConnectorId, type StationIdentity } from './StationIdentity';
import { CP800_SIGNATURE_ALGORITHM, type StationSigningKey } from './StationSigningKey';

export interface Cp800Reading {
  tx: 'B' | 'C' | 'S' | 'E' | 'A' | 'P';
  /** Station clock time of the reading, ms. */
  stationTimeMs: number;
  timeStatus: 'S' | 'U';
  /** Compensated register value, kWh, 4 decimals. */
  valueKWh: number;
  /** Cumulated cable loss since the begin reading, kWh, 4 decimals. */
  lossKWh: number;
  /** Meter status letter, G when good. */
  status: string;
  /** EF: E energy error, t time error. */
  errorFlags?: string;
}

export interface Cp800Session {
  counter: number;
  transactionId: string;
  connector: ConnectorId;
  idTag: string;
  readings: Cp800Reading[];
}

/** Python-style float text, as the CP800 writes numbers: 0.0, 0.4159, 23000.0. */
export function pyFloat(x: number): string {
  return Number.isInteger(x) ? x.toFixed(1) : String(x);
}

/**
 * TM as the CP800 writes it, in UTC: `2025-06-03T07:48:45,000+0000 S` (the OCMF library's
 * formatReadingTime with offset 0, written from the simulator's fast ISO formatting).
 */
export function cp800ReadingTime(stationTimeMs: number, status: 'S' | 'U'): string {
  const iso = isoUtc(stationTimeMs);
  return `${iso.slice(0, 19)},${iso.slice(20, 23)}+0000 ${status}`;
}

/**
 * The payload exactly in the CP800's form (station manual, Annexe A): key order, `,` after the first
 * four fields and before RD, `, ` elsewhere, numbers as floats.
 */
export function cp800PayloadText(id: StationIdentity, s: Cp800Session): string {
  const mf = `scf ${Buffer.from(id.meterFirmwareDigest).toString('base64')}`;
  const q = JSON.stringify;
  const readings = s.readings.map((r) => {
    const ef = r.errorFlags ? `, "EF":${q(r.errorFlags)}` : '';
    return `{"TX":${q(r.tx)}, "TM":${q(cp800ReadingTime(r.stationTimeMs, r.timeStatus))}, "RU":"kWh", "RI":"1-b:1.8.0", "RT":"AC", "RV":${pyFloat(r.valueKWh)}, "CL":${pyFloat(r.lossKWh)}${ef}, "ST":${q(r.status)}}`;
  });
  return (
    `{"FV":"1.0","GI":${q(id.serial)},"PG":${q(`T${s.counter}-${s.transactionId}`)},` +
    `"GV":${q(`lrs_ver: ${id.lrsVersion}, sw_rel: ${id.controllerVersion}-alpha`)},` +
    `"MV":${q(id.meterVendor)}, "MM":${q(id.meterModel)}, "MS":${q(encodedMeterSerial(id))}, "MF":${q(mf)}, ` +
    `"IS":true, "ID":${q(s.idTag)}, "CI":${s.connector}, ` +
    `"LC":{"LU":"uOhm", "LR":${pyFloat(CABLE_RESISTANCE_UOHM[id.cable])}}, "TT":"",` +
    `"RD":[${readings.join(', ')}]}`
  );
}

/**
 * The complete signed dataset, signature section as the CP800 writes it: `{"SA":…, "SD":…, "SE":"base 64"}`
 * (the OCMF library's signOcmf with encoding `base 64` and a space after commas writes the same text;
 * written here directly, it skips re-checking the algorithm and, unsigned, encoding the payload).
 */
export function signCp800Dataset(payloadText: string, key: StationSigningKey): string {
  return `OCMF|${payloadText}|{"SA":"${CP800_SIGNATURE_ALGORITHM}", "SD":"${key.signTextBase64(payloadText)}", "SE":"base 64"}`;
}
