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

const q = JSON.stringify;

/** The parts of a payload that depend on the station only, with the identity fields they were written from. */
interface StationParts {
  serial: string;
  lrsVersion: string;
  controllerVersion: string;
  meterVendor: string;
  meterModel: string;
  meterSerial: string;
  meterPartNumber: string;
  meterFirmwareDigest: Uint8Array;
  cable: StationIdentity['cable'];
  /** `{"FV":"1.0","GI":…,"PG":` */
  head: string;
  /** `,"GV":…, "MV":…, "MM":…, "MS":…, "MF":…, "IS":true, "ID":` */
  middle: string;
  /** `"LC":{…}, "TT":"",` */
  cableLoss: string;
}

const stationParts = new WeakMap<StationIdentity, StationParts>();

/**
 * The station's parts of the payload, written once and again only when a field they come from changes
 * (firmware update, meter or cable replaced). The digest is compared by reference: it is replaced, never
 * changed in place.
 */
function partsOf(id: StationIdentity): StationParts {
  const c = stationParts.get(id);
  if (
    c &&
    c.serial === id.serial &&
    c.lrsVersion === id.lrsVersion &&
    c.controllerVersion === id.controllerVersion &&
    c.meterVendor === id.meterVendor &&
    c.meterModel === id.meterModel &&
    c.meterSerial === id.meterSerial &&
    c.meterPartNumber === id.meterPartNumber &&
    c.meterFirmwareDigest === id.meterFirmwareDigest &&
    c.cable === id.cable
  ) {
    return c;
  }
  const mf = `scf ${Buffer.from(id.meterFirmwareDigest).toString('base64')}`;
  const parts: StationParts = {
    serial: id.serial,
    lrsVersion: id.lrsVersion,
    controllerVersion: id.controllerVersion,
    meterVendor: id.meterVendor,
    meterModel: id.meterModel,
    meterSerial: id.meterSerial,
    meterPartNumber: id.meterPartNumber,
    meterFirmwareDigest: id.meterFirmwareDigest,
    cable: id.cable,
    head: `{"FV":"1.0","GI":${q(id.serial)},"PG":`,
    middle:
      `,"GV":${q(`lrs_ver: ${id.lrsVersion}, sw_rel: ${id.controllerVersion}-alpha`)},` +
      `"MV":${q(id.meterVendor)}, "MM":${q(id.meterModel)}, "MS":${q(encodedMeterSerial(id))}, "MF":${q(mf)}, ` +
      `"IS":true, "ID":`,
    cableLoss: `"LC":{"LU":"uOhm", "LR":${pyFloat(CABLE_RESISTANCE_UOHM[id.cable])}}, "TT":"",`,
  };
  stationParts.set(id, parts);
  return parts;
}

/** One entry of RD. TX and TM (a letter; digits and separators) need no escaping in JSON. */
function readingText(r: Cp800Reading): string {
  const ef = r.errorFlags ? `, "EF":${q(r.errorFlags)}` : '';
  const st = r.status === 'G' ? '"G"' : q(r.status);
  return `{"TX":"${r.tx}", "TM":"${cp800ReadingTime(r.stationTimeMs, r.timeStatus)}", "RU":"kWh", "RI":"1-b:1.8.0", "RT":"AC", "RV":${pyFloat(r.valueKWh)}, "CL":${pyFloat(r.lossKWh)}${ef}, "ST":${st}}`;
}

/**
 * The payload exactly in the CP800's form (station manual, Annexe A): key order, `,` after the first
 * four fields and before RD, `, ` elsewhere, numbers as floats.
 */
export function cp800PayloadText(id: StationIdentity, s: Cp800Session): string {
  const p = partsOf(id);
  let rd = '';
  for (let i = 0; i < s.readings.length; i++) rd += i === 0 ? readingText(s.readings[i]) : `, ${readingText(s.readings[i])}`;
  return `${p.head}${q(`T${s.counter}-${s.transactionId}`)}${p.middle}${q(s.idTag)}, "CI":${s.connector}, ${p.cableLoss}"RD":[${rd}]}`;
}

/**
 * The complete signed dataset, signature section as the CP800 writes it: `{"SA":…, "SD":…, "SE":"base 64"}`
 * (the OCMF library's signOcmf with encoding `base 64` and a space after commas writes the same text;
 * written here directly, it skips re-checking the algorithm and, unsigned, encoding the payload).
 */
export function signCp800Dataset(payloadText: string, key: StationSigningKey): string {
  return `OCMF|${payloadText}|{"SA":"${CP800_SIGNATURE_ALGORITHM}", "SD":"${key.signTextBase64(payloadText)}", "SE":"base 64"}`;
}
