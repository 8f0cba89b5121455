import {
  ALL_IDENTIFICATION_FLAGS,
  CHARGE_POINT_ID_TYPES,
  CURRENT_TYPES,
  ENERGY_UNITS,
  ERROR_FLAGS,
  IDENTIFICATION_LEVELS,
  IDENTIFICATION_TYPES,
  METER_STATUSES,
  PAGINATION_CONTEXTS,
  READING_TYPES,
  RESISTANCE_UNITS,
} from './model/CodeLists';
import { decimalFromNumber, decimalFromText } from './model/DecimalText';
import type {
  DecimalValue,
  LossCompensation,
  OcmfDataset,
  OcmfPayload,
  OcmfReading,
  OcmfSignature,
} from './model/OcmfDataset';
import type { OcmfError } from './model/OcmfError';
import type { OcmfFinding } from './model/OcmfFinding';
import { parsePagination } from './model/Pagination';
import { parseReadingTime } from './model/ReadingTime';
import { parseOcmfSections, type ParsedSections } from './OcmfSections';

export type ParseResult =
  | { ok: true; dataset: OcmfDataset; findings: OcmfFinding[] }
  | { ok: false; error: OcmfError; findings: OcmfFinding[] };

/** Fields of a reading that the meter may omit when equal to the previous reading's value. */
const FILL_FORWARD_READING_KEYS = ['TX', 'RI', 'RU', 'RT', 'EF', 'ST'];
const READING_TYPE_KEYS = Object.keys(READING_TYPES);
const METER_STATUS_KEYS = Object.keys(METER_STATUSES);
const IDENTIFICATION_TYPE_KEYS = Object.keys(IDENTIFICATION_TYPES);

/**
 * Parses one OCMF dataset into its typed view and the findings against the spec.
 * Never throws: malformed input gives `{ ok: false, error }` with a reason.
 */
export function parseOcmf(input: string): ParseResult {
  const parsed = parseOcmfSections(input);
  if (!parsed.ok) return { ok: false, error: parsed.error, findings: [] };
  return { ok: true, ...typeSections(parsed.sections) };
}

/** Types already split and JSON-parsed sections (the costly part of parsing, done once). */
export function typeSections(sections: ParsedSections): { dataset: OcmfDataset; findings: OcmfFinding[] } {
  const findings: OcmfFinding[] = [];
  const payload = typePayload(sections.payloadJson, findings);
  const signature = typeSignature(sections.signatureJson, sections.payloadJson, findings);
  return { dataset: { payloadText: sections.payloadText, signatureText: sections.signatureText, payload, signature }, findings };
}


class FieldReader {
  constructor(
    private readonly obj: Record<string, unknown>,
    private readonly prefix: string,
    private readonly findings: OcmfFinding[],
  ) {}

  private path(key: string): string {
    return this.prefix ? `${this.prefix}.${key}` : key;
  }

  note(severity: OcmfFinding['severity'], key: string, message: string): void {
    this.findings.push({ severity, field: this.path(key), message });
  }

  has(key: string): boolean {
    return this.obj[key] !== undefined;
  }

  string(key: string, mandatory?: 'error' | 'deviation'): string | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) {
      if (mandatory) this.note(mandatory, key, `${key} is mandatory and missing`);
      return undefined;
    }
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') {
      this.note('deviation', key, `${key} is a ${typeof v}, the spec requires a string`);
      return String(v);
    }
    this.note('error', key, `${key} must be a string`);
    return undefined;
  }

  oneOf(key: string, allowed: readonly string[], mandatory?: 'error' | 'deviation'): string | undefined {
    const v = this.string(key, mandatory);
    if (v !== undefined && !allowed.includes(v)) {
      this.note('deviation', key, `${key} "${v}" is not one of ${allowed.join(', ')}`);
    }
    return v;
  }

  decimal(key: string, mandatory?: 'error' | 'deviation'): DecimalValue | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) {
      if (mandatory) this.note(mandatory, key, `${key} is mandatory and missing`);
      return undefined;
    }
    if (typeof v === 'number') return decimalFromNumber(v);
    if (typeof v === 'string') {
      const d = decimalFromText(v);
      if (d) {
        this.note('deviation', key, `${key} is the string "${v}", the spec requires a JSON number`);
        return d;
      }
    }
    this.note('error', key, `${key} is not a number: ${JSON.stringify(v)}`);
    return undefined;
  }

  boolean(key: string, mandatory?: 'error' | 'deviation'): boolean | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) {
      if (mandatory) this.note(mandatory, key, `${key} is mandatory and missing`);
      return undefined;
    }
    if (typeof v === 'boolean') return v;
    if (v === 'true' || v === 'false') {
      this.note('deviation', key, `${key} is the string "${v}", the spec requires a JSON boolean`);
      return v === 'true';
    }
    this.note('error', key, `${key} is not a boolean: ${JSON.stringify(v)}`);
    return undefined;
  }
}

function typePayload(obj: Record<string, unknown>, findings: OcmfFinding[]): OcmfPayload {
  const r = new FieldReader(obj, '', findings);
  const payload: OcmfPayload = { identificationFlags: [], readings: [], fields: obj };

  payload.formatVersion = r.string('FV');
  payload.gatewayId = r.string('GI');
  payload.gatewaySerial = r.string('GS');
  payload.gatewayVersion = r.string('GV');

  const pg = r.string('PG', 'error');
  if (pg !== undefined) {
    const parsed = parsePagination(pg);
    if (parsed.ok) {
      payload.pagination = parsed.pagination;
      if (!(parsed.pagination.context in PAGINATION_CONTEXTS)) {
        r.note('deviation', 'PG', `pagination context "${parsed.pagination.context}" is not T or F`);
      }
      if (parsed.pagination.suffix !== undefined) {
        r.note('deviation', 'PG', `PG carries a suffix after the counter ("-${parsed.pagination.suffix}")`);
      }
    } else {
      r.note('error', 'PG', parsed.reason);
    }
  }

  payload.meterVendor = r.string('MV');
  payload.meterModel = r.string('MM');
  payload.meterSerial = r.string('MS', 'deviation');
  payload.meterFirmware = r.string('MF');
  if (payload.meterSerial === undefined && payload.gatewaySerial === undefined) {
    r.note('error', 'MS', 'neither MS nor GS identifies the signing component');
  }

  // User assignment: present exactly when there is a transaction reference.
  const transactional = payload.pagination?.context === 'T' || r.has('IS');
  payload.identificationStatus = r.boolean('IS', transactional ? 'deviation' : undefined);
  payload.identificationLevel = r.oneOf('IL', IDENTIFICATION_LEVELS);
  const flags = obj['IF'];
  if (flags !== undefined) {
    if (Array.isArray(flags)) {
      if (flags.length > 4) r.note('deviation', 'IF', `IF has ${flags.length} entries, the spec allows 4`);
      flags.forEach((f, i) => {
        if (typeof f !== 'string') {
          r.note('error', `IF[${i}]`, `identification flag is not a string: ${JSON.stringify(f)}`);
        } else {
          if (!ALL_IDENTIFICATION_FLAGS.includes(f)) r.note('deviation', `IF[${i}]`, `unknown identification flag "${f}"`);
          payload.identificationFlags.push(f);
        }
      });
    } else if (typeof flags === 'string') {
      r.note('deviation', 'IF', 'IF is a string, the spec requires an array of strings');
      payload.identificationFlags.push(flags);
    } else {
      r.note('error', 'IF', 'IF must be an array of strings');
    }
  }
  payload.identificationType = r.oneOf('IT', IDENTIFICATION_TYPE_KEYS, transactional ? 'deviation' : undefined);
  payload.identificationData = r.string('ID');
  payload.tariffText = r.string('TT');
  if (payload.tariffText !== undefined && payload.tariffText.length > 250) {
    r.note('deviation', 'TT', `TT is ${payload.tariffText.length} characters, the spec allows 250`);
  }
  payload.chargeControllerFirmware = r.string('CF');
  payload.chargeControllerVersion = r.string('CCV');
  if (payload.chargeControllerVersion !== undefined && payload.chargeControllerVersion.length > 25) {
    r.note('deviation', 'CCV', 'CCV is longer than 25 characters');
  }
  payload.lossCompensation = typeLossCompensation(obj['LC'], r, findings);
  const ct = r.string('CT');
  if (ct !== undefined && ct !== '' && !(CHARGE_POINT_ID_TYPES as readonly string[]).includes(ct)) {
    r.note('deviation', 'CT', `CT "${ct}" is not one of ${CHARGE_POINT_ID_TYPES.join(', ')}`);
  }
  payload.chargePointIdType = ct;
  payload.chargePointId = r.string('CI');

  const rd = obj['RD'];
  if (!Array.isArray(rd) || rd.length === 0) {
    r.note('error', 'RD', 'RD must be a non-empty array of readings');
  } else {
    let previous: Record<string, unknown> = {};
    rd.forEach((raw, index) => {
      if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
        r.note('error', `RD[${index}]`, 'reading is not a JSON object');
        return;
      }
      const filled: Record<string, unknown> = {};
      for (const k of FILL_FORWARD_READING_KEYS) {
        if (previous[k] !== undefined) filled[k] = previous[k];
      }
      Object.assign(filled, raw as Record<string, unknown>);
      payload.readings.push(typeReading(filled, index, findings));
      previous = filled;
    });
  }
  return payload;
}

function typeLossCompensation(lc: unknown, r: FieldReader, findings: OcmfFinding[]): LossCompensation | undefined {
  if (lc === undefined) return undefined;
  if (lc === null || typeof lc !== 'object' || Array.isArray(lc)) {
    r.note('error', 'LC', 'LC must be an object');
    return undefined;
  }
  const l = new FieldReader(lc as Record<string, unknown>, 'LC', findings);
  const out: LossCompensation = {};
  out.name = l.string('LN');
  if (out.name !== undefined && out.name.length > 20) l.note('deviation', 'LN', 'LN is longer than 20 characters');
  const li = l.decimal('LI');
  if (li !== undefined) out.id = li.value;
  out.resistance = l.decimal('LR', 'error');
  out.unit = l.oneOf('LU', RESISTANCE_UNITS, 'error');
  return out;
}

function typeReading(obj: Record<string, unknown>, index: number, findings: OcmfFinding[]): OcmfReading {
  const r = new FieldReader(obj, `RD[${index}]`, findings);
  const reading: OcmfReading = { index, errorFlags: [], fields: obj };
  const tm = r.string('TM', 'error');
  if (tm !== undefined) {
    const parsed = parseReadingTime(tm);
    if (parsed.ok) {
      reading.time = parsed.time;
      for (const d of parsed.time.deviations) r.note('deviation', 'TM', d);
    } else {
      r.note('error', 'TM', parsed.reason);
    }
  }
  reading.type = r.oneOf('TX', READING_TYPE_KEYS);
  const ef = r.string('EF');
  if (ef !== undefined) {
    for (const ch of ef) {
      if (!(ch in ERROR_FLAGS)) r.note('deviation', 'EF', `unknown error flag "${ch}"`);
      reading.errorFlags.push(ch);
    }
  }
  // RV, RI, RU, RT may be left out when the reading only reports an error event.
  const eventOnly = reading.errorFlags.length > 0 && !r.has('RV');
  reading.value = r.decimal('RV', eventOnly ? undefined : 'error');
  reading.obis = r.string('RI');
  reading.unit = r.oneOf('RU', ENERGY_UNITS, eventOnly ? undefined : 'error');
  if ((reading.obis === undefined) !== (reading.unit === undefined)) {
    r.note('deviation', 'RI', 'RI and RU form a group: both or neither must be present');
  }
  reading.currentType = r.oneOf('RT', CURRENT_TYPES);
  reading.cumulatedLoss = r.decimal('CL');
  reading.status = r.oneOf('ST', METER_STATUS_KEYS, 'error');
  return reading;
}

export function typeSignature(
  obj: Record<string, unknown>,
  payload: Record<string, unknown>,
  findings: OcmfFinding[],
): OcmfSignature {
  const r = new FieldReader(obj, '', findings);
  const signature: OcmfSignature = { fields: obj };
  signature.algorithm = r.string('SA');
  if (signature.algorithm === undefined && typeof payload['SA'] === 'string') {
    // OCMF 0.4 to 0.x carried SA inside the signed payload; 1.0 moved it to the signature section.
    signature.algorithm = payload['SA'];
    r.note('deviation', 'SA', 'SA taken from the payload section (OCMF before 1.0)');
  }
  signature.encoding = r.string('SE');
  signature.mimeType = r.string('SM');
  signature.data = r.string('SD', 'error');
  return signature;
}
