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
import { readJson, type JsonNumberTexts, type JsonRead } from './json/readJson';
import { readDecimal } from './model/DecimalText';
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
import { quoteBounded } from './model/quoteBounded';
import { parseReadingTime } from './model/ReadingTime';
import { parseOcmfSections, splitAtLastSeparator, tryObject, type ParsedSections } from './OcmfSections';

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
  const once = typeReadOnce(input);
  if (once) return { ok: true, ...once };
  const parsed = parseOcmfSections(input);
  if (!parsed.ok) return { ok: false, error: parsed.error, findings: [] };
  return { ok: true, ...typeSections(parsed.sections) };
}

/**
 * The common case with the payload read once: `parseOcmfSections`' fast path, but the payload read
 * only by the reader that keeps the numbers' texts (which `typeSections` reads it with anyway) instead
 * of `JSON.parse` and then that reader. Where `JSON.parse` accepts the payload, that reader accepts it
 * with nothing tolerated and gives the same values, so the result is `typeSections`' for the same
 * split. Undefined for anything else (a tolerated departure, no object, no such split): the full path
 * then reads the dataset and names what is wrong.
 */
function typeReadOnce(input: string): { dataset: OcmfDataset; findings: OcmfFinding[] } | undefined {
  const split = splitAtLastSeparator(input);
  if (!split) return undefined;
  const read = readJson(split.payloadText, { tolerant: true });
  if (!read.ok || read.tolerated.length > 0 || !isObject(read.value)) return undefined;
  const signatureJson = tryObject(split.signatureRead);
  if (!signatureJson) return undefined;
  return typeRead({ payloadText: split.payloadText, signatureText: split.signatureText, payloadJson: read.value, signatureJson }, read);
}

/**
 * Types already split and JSON-parsed sections. The payload is read once more, with the reader that
 * keeps each number's text (a JS number cannot say how `100.000`, `1e400` or a 33-digit register
 * was written); this is the typing path only, never the signature check.
 */
export function typeSections(sections: ParsedSections): { dataset: OcmfDataset; findings: OcmfFinding[] } {
  return typeRead(sections, readJson(sections.payloadText, { tolerant: true }));
}

/** `typeSections` with the payload already read by `readJson` (tolerant). */
function typeRead(sections: ParsedSections, read: JsonRead): { dataset: OcmfDataset; findings: OcmfFinding[] } {
  const findings: OcmfFinding[] = [...(sections.findings ?? [])];
  const lossless = read.ok && isObject(read.value);
  const payloadObj = lossless ? (read.value as Record<string, unknown>) : sections.payloadJson;
  const numbers: JsonNumberTexts = read.ok ? read.numbers : new Map();
  const payload = typePayload(payloadObj, numbers, findings);
  for (const o of lossless ? read.overflows : []) {
    // A typed field has already said what is wrong with its value; this is for everything else.
    if (findings.some((f) => f.field === o.path)) continue;
    findings.push({
      severity: 'deviation',
      field: o.path,
      message:
        `${o.path} is the number ${quoteBounded(o.text)}, beyond what a JS number holds: \`fields\` shows it as Infinity, ` +
        'the signed payload keeps it as written. No OCMF field needs such a value (OCMF §Extension Points leaves vendor fields to the vendor)',
    });
  }
  const signature = typeSignature(sections.signatureJson, sections.payloadJson, findings);
  return { dataset: { payloadText: sections.payloadText, signatureText: sections.signatureText, payload, signature }, findings };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** The rule behind each numeric field, for the reason when its value cannot be held. */
const NUMERIC_RULES: Record<string, string> = {
  RV: 'OCMF Tab. 7 requires RV as the meter wrote it, so it is never rounded',
  CL: 'OCMF Tab. 7 requires CL as the meter wrote it, so it is never rounded',
  LR: 'OCMF Tab. 24 makes LR the cable resistance the meter compensates with',
  LI: "OCMF Tab. 24 makes LI an identifier in the meter's lookup table",
};

class FieldReader {
  constructor(
    private readonly obj: Record<string, unknown>,
    private readonly prefix: string,
    private readonly findings: OcmfFinding[],
    private readonly numbers: JsonNumberTexts,
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

  /** A number as written in the dataset (`100.000`, `1e400`); undefined for other values. */
  numberText(key: string): string | undefined {
    const v = this.obj[key];
    if (typeof v !== 'number') return undefined;
    return this.numbers.get(this.obj)?.get(key) ?? (Number.isFinite(v) ? String(v) : undefined);
  }

  /** The value as it may appear in a message: as written, quoted and bounded. */
  shown(key: string): string {
    const v = this.obj[key];
    if (typeof v === 'string') return quoteBounded(v);
    return quoteBounded(this.numberText(key) ?? JSON.stringify(v) ?? String(v));
  }

  string(key: string, mandatory?: 'error' | 'deviation'): string | undefined {
    const v = this.obj[key];
    if (v === undefined || v === null) {
      if (mandatory) this.note(mandatory, key, `${key} is mandatory and missing`);
      return undefined;
    }
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') {
      this.note('deviation', key, `${key} is the JSON ${typeof v} ${this.shown(key)}, the spec requires a string; read as the text written`);
      return this.numberText(key) ?? String(v);
    }
    this.note('error', key, `${key} must be a string, not ${Array.isArray(v) ? 'an array' : 'an object'}`);
    return undefined;
  }

  oneOf(key: string, allowed: readonly string[], mandatory?: 'error' | 'deviation'): string | undefined {
    const v = this.string(key, mandatory);
    if (v !== undefined && !allowed.includes(v)) {
      this.note('deviation', key, `${key} ${quoteBounded(v)} is not one of ${allowed.join(', ')}`);
    }
    return v;
  }

  /**
   * A decimal field, read exactly from the text written (a JSON number, or a string some meters
   * write). A value that cannot be held exactly (an exponent like 1e400, more than
   * MAX_DECIMAL_DIGITS digits written out) is an error finding and `unusable` says why: it is
   * never rounded, and never thrown on.
   */
  decimal(key: string, mandatory?: 'error' | 'deviation'): { value?: DecimalValue; unusable?: string } {
    const v = this.obj[key];
    if (v === undefined || v === null) {
      if (mandatory) this.note(mandatory, key, `${key} is mandatory and missing`);
      return {};
    }
    let written: string | undefined;
    if (typeof v === 'number') written = this.numberText(key);
    else if (typeof v === 'string' && QUOTED_DECIMAL.test(v)) written = v.trim();
    else {
      const unusable = `${key} is not a number: ${this.shown(key)}`;
      this.note('error', key, unusable);
      return { unusable };
    }
    const read = written === undefined ? undefined : readDecimal(written);
    if (read?.ok) {
      if (typeof v === 'string') this.note('deviation', key, `${key} is the string ${quoteBounded(v)}, the spec requires a JSON number`);
      return { value: read.decimal };
    }
    const unusable =
      `${key} ${this.shown(key)} cannot be used: ${read?.reason ?? 'it is not a finite number'}. ` +
      `${NUMERIC_RULES[key] ?? 'OCMF numbers are exact decimals, never rounded'}. No meter writes such a value: ask the manufacturer of the meter or gateway`;
    this.note('error', key, unusable);
    return { unusable };
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
    this.note('error', key, `${key} is not a boolean: ${this.shown(key)}`);
    return undefined;
  }
}

/** A decimal written as a string, padding allowed; deterministic, so linear on any length. */
const QUOTED_DECIMAL = /^\s*-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

function typePayload(obj: Record<string, unknown>, numbers: JsonNumberTexts, findings: OcmfFinding[]): OcmfPayload {
  const r = new FieldReader(obj, '', findings, numbers);
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
        r.note('deviation', 'PG', `pagination context ${quoteBounded(String(parsed.pagination.context))} is not T or F`);
      }
      if (parsed.pagination.suffix !== undefined) {
        r.note('deviation', 'PG', `PG carries a suffix after the counter: ${quoteBounded(`-${parsed.pagination.suffix}`)}`);
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
          r.note('error', `IF[${i}]`, `identification flag is not a string: ${quoteBounded(JSON.stringify(f) ?? String(f))}`);
        } else {
          if (!ALL_IDENTIFICATION_FLAGS.includes(f)) r.note('deviation', `IF[${i}]`, `unknown identification flag ${quoteBounded(f)}`);
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
  payload.lossCompensation = typeLossCompensation(obj['LC'], r, findings, numbers);
  const ct = r.string('CT');
  if (ct !== undefined && ct !== '' && !(CHARGE_POINT_ID_TYPES as readonly string[]).includes(ct)) {
    r.note('deviation', 'CT', `CT ${quoteBounded(ct)} is not one of ${CHARGE_POINT_ID_TYPES.join(', ')}`);
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
      // Fill forward, carrying the numbers' source texts along with their values.
      const filled: Record<string, unknown> = {};
      const texts = new Map<string, string>();
      const previousTexts = numbers.get(previous);
      for (const k of FILL_FORWARD_READING_KEYS) {
        if (previous[k] === undefined) continue;
        filled[k] = previous[k];
        const t = previousTexts?.get(k);
        if (t !== undefined) texts.set(k, t);
      }
      for (const k of Object.keys(raw)) {
        const v = (raw as Record<string, unknown>)[k];
        // An own "__proto__" key stays a key: assigning it would give the reading a prototype to read fields from.
        if (k === '__proto__') Object.defineProperty(filled, k, { value: v, writable: true, enumerable: true, configurable: true });
        else filled[k] = v;
        texts.delete(k);
      }
      for (const [k, t] of numbers.get(raw) ?? []) texts.set(k, t);
      if (texts.size > 0) numbers.set(filled, texts);
      payload.readings.push(typeReading(filled, index, findings, numbers));
      previous = filled;
    });
  }
  return payload;
}

function typeLossCompensation(lc: unknown, r: FieldReader, findings: OcmfFinding[], numbers: JsonNumberTexts): LossCompensation | undefined {
  if (lc === undefined) return undefined;
  if (lc === null || typeof lc !== 'object' || Array.isArray(lc)) {
    r.note('error', 'LC', 'LC must be an object');
    return undefined;
  }
  const l = new FieldReader(lc as Record<string, unknown>, 'LC', findings, numbers);
  const out: LossCompensation = {};
  out.name = l.string('LN');
  if (out.name !== undefined && out.name.length > 20) l.note('deviation', 'LN', 'LN is longer than 20 characters');
  const li = l.decimal('LI').value;
  if (li !== undefined) out.id = li.value;
  out.resistance = l.decimal('LR', 'error').value;
  out.unit = l.oneOf('LU', RESISTANCE_UNITS, 'error');
  return out;
}

function typeReading(obj: Record<string, unknown>, index: number, findings: OcmfFinding[], numbers: JsonNumberTexts): OcmfReading {
  const r = new FieldReader(obj, `RD[${index}]`, findings, numbers);
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
      if (!(ch in ERROR_FLAGS)) r.note('deviation', 'EF', `unknown error flag ${quoteBounded(ch)}`);
      reading.errorFlags.push(ch);
    }
  }
  // RV, RI, RU, RT may be left out when the reading only reports an error event.
  const eventOnly = reading.errorFlags.length > 0 && !r.has('RV');
  const rv = r.decimal('RV', eventOnly ? undefined : 'error');
  reading.value = rv.value;
  if (rv.unusable !== undefined) reading.valueUnusable = rv.unusable;
  reading.obis = r.string('RI');
  reading.unit = r.oneOf('RU', ENERGY_UNITS, eventOnly ? undefined : 'error');
  if ((reading.obis === undefined) !== (reading.unit === undefined)) {
    r.note('deviation', 'RI', 'RI and RU form a group: both or neither must be present');
  }
  reading.currentType = r.oneOf('RT', CURRENT_TYPES);
  reading.cumulatedLoss = r.decimal('CL').value;
  reading.status = r.oneOf('ST', METER_STATUS_KEYS, 'error');
  return reading;
}

export function typeSignature(
  obj: Record<string, unknown>,
  payload: Record<string, unknown>,
  findings: OcmfFinding[],
): OcmfSignature {
  const r = new FieldReader(obj, '', findings, new Map());
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
