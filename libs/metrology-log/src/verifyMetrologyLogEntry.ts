import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { METROLOGY_LOG_ALGORITHM, type MetrologyLogFields, type MetrologyLogMetadata } from './MetrologyLogEntry';
import { isMetrologyLogEvent } from './MetrologyLogEvent';
import { firstDuplicateKey } from './firstDuplicateKey';

/** Why an entry is not accepted; each comes with a sentence saying what to change. */
export type MetrologyLogFailure =
  | 'unsupported-algorithm'
  | 'not-json'
  | 'not-an-entry'
  | 'station-mismatch'
  | 'fields-differ'
  | 'no-key'
  | 'invalid-signature';

/** The verifier's answer. `ok` entries name the registered key whose signature matched. */
export type MetrologyLogVerification =
  | { ok: true; code: 'valid'; reason: string; fields: MetrologyLogFields; publicKey: string; verifier: string }
  | { ok: false; code: MetrologyLogFailure; reason: string; fields?: MetrologyLogFields; verifier: string };

/** Implementation and version that produce the verdicts, for the record. */
export const METROLOGY_LOG_VERIFIER = `libs/metrology-log 0.1.0 / node:crypto (OpenSSL ${process.versions.openssl})`;

export interface VerifyMetrologyLogOptions {
  /** The station the entry arrived for: the signed entry must name the same station. */
  stationId?: string;
}

/**
 * An entry to check: the signed text and signature, and optionally the algorithm it names and the
 * fields shown beside the signed text (each shown field must equal the signed one).
 */
export type MetrologyLogEntryInput = { signedText: string; signature: string; algorithm?: string } & { [K in keyof MetrologyLogFields]?: unknown };

const FIELDS: readonly (keyof MetrologyLogFields)[] = ['stationId', 'seq', 'time', 'event', 'metadata'];
const ISO_UTC_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,9})?(Z|[+-]\d\d:\d\d)$/;

/**
 * Checks one metrology-log entry: that it names the one algorithm, that its signed text is an entry
 * (stationId, seq, time, one of the manual's events, metadata), that it names the expected station,
 * that fields shown beside it are the signed ones, and that its signature matches one of the
 * station's registered keys (SPKI DER, hex), tried in the order given. Never throws.
 */
export function verifyMetrologyLogEntry(
  entry: MetrologyLogEntryInput,
  publicKeys: string | readonly string[],
  options: VerifyMetrologyLogOptions = {},
): MetrologyLogVerification {
  const fail = (code: MetrologyLogFailure, reason: string, fields?: MetrologyLogFields): MetrologyLogVerification => ({
    ok: false,
    code,
    reason,
    ...(fields ? { fields } : {}),
    verifier: METROLOGY_LOG_VERIFIER,
  });
  if (entry.algorithm !== undefined && entry.algorithm !== METROLOGY_LOG_ALGORITHM) {
    return fail('unsupported-algorithm', `the entry names algorithm ${quote(entry.algorithm)}; metrology-log entries are signed with ${METROLOGY_LOG_ALGORITHM}`);
  }
  const read = readSignedFields(entry.signedText);
  if (!read.ok) return fail(read.code, read.reason);
  const { fields } = read;
  if (options.stationId !== undefined && fields.stationId !== options.stationId) {
    return fail(
      'station-mismatch',
      `the signed entry names station ${quote(fields.stationId)}, the message station ${quote(options.stationId)}: an entry is accepted only for the station that signed it`,
      fields,
    );
  }
  const differing = FIELDS.filter((f) => entry[f] !== undefined && canonical(entry[f]) !== canonical(fields[f]));
  if (differing.length > 0) {
    return fail('fields-differ', `fields differ from the signed text: ${differing.join(', ')} shown ${differing.length === 1 ? 'is' : 'are'} not what was signed`, fields);
  }
  const keys = typeof publicKeys === 'string' ? [publicKeys] : publicKeys;
  if (keys.length === 0) {
    return fail('no-key', `no key is registered for station ${quote(fields.stationId)}: register the station's public key, then its log entries can be verified`, fields);
  }
  const data = Buffer.from(entry.signedText, 'utf8');
  const signature = Buffer.from(entry.signature, 'base64');
  let unreadable = 0;
  for (const [i, publicKey] of keys.entries()) {
    const key = readKey(publicKey);
    if (!key) {
      unreadable++;
      continue;
    }
    if (checks(data, key, signature)) {
      const which = keys.length === 1 ? 'the registered key' : `registered key ${i + 1} of ${keys.length}`;
      return { ok: true, code: 'valid', reason: `signature matches ${which} (…${publicKey.slice(-16).toLowerCase()})`, fields, publicKey, verifier: METROLOGY_LOG_VERIFIER };
    }
  }
  const tried = keys.length === 1 ? 'the registered key' : `any of the ${keys.length} registered keys`;
  const unusable = unreadable > 0 ? ` (${unreadable} of them cannot be read as an SPKI public key)` : '';
  return fail(
    'invalid-signature',
    `signature does not match ${tried} of station ${quote(fields.stationId)}${unusable}: the entry was changed after signing, or signed with a key that is not registered`,
    fields,
  );
}

type Read = { ok: true; fields: MetrologyLogFields } | { ok: false; code: 'not-json' | 'not-an-entry'; reason: string };

/**
 * The ISO 8601 form, and a real instant: the day exists in its month (Date.parse would roll
 * 2025-02-30 over to 2 March), hours to 23, minutes and seconds to 59.
 */
function isRealInstant(time: string): boolean {
  if (!ISO_UTC_TIME.test(time) || Number.isNaN(Date.parse(time))) return false;
  const [y, m, d] = time.slice(0, 10).split('-').map(Number);
  // The date set with setUTCFullYear: Date.UTC would read years 0-99 as 1900-1999.
  const day = new Date(0);
  day.setUTCFullYear(y, m - 1, d);
  const [hh, mm, ss] = time.slice(11, 19).split(':').map(Number);
  return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d && hh <= 23 && mm <= 59 && ss <= 59;
}

function readSignedFields(signedText: string): Read {
  let json: unknown;
  try {
    json = JSON.parse(signedText);
  } catch {
    return { ok: false, code: 'not-json', reason: `signedText is not JSON (it begins ${quote(signedText, 40)}): it must be the signed JSON of stationId, seq, time, event and metadata` };
  }
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    return { ok: false, code: 'not-json', reason: 'signedText is JSON but not an object: it must be the signed JSON of stationId, seq, time, event and metadata' };
  }
  const twice = firstDuplicateKey(signedText);
  if (twice !== undefined) {
    return { ok: false, code: 'not-an-entry', reason: `the signed text names the field ${quote(twice)} twice in one object: readers disagree on which value was signed` };
  }
  const o = json as Record<string, unknown>;
  const metadata = 'metadata' in o ? o.metadata : null;
  const problems: string[] = [];
  if (typeof o.stationId !== 'string' || o.stationId.length === 0) problems.push(`stationId must be a non-empty text, got ${quote(o.stationId)}`);
  if (!Number.isSafeInteger(o.seq) || (o.seq as number) < 1) problems.push(`seq must be a whole number from 1, got ${quote(o.seq)}`);
  if (typeof o.time !== 'string' || !isRealInstant(o.time)) {
    problems.push(`time must be an ISO 8601 date-time of a day that exists, such as 2025-01-01T07:00:05Z, got ${quote(o.time)}`);
  }
  if (!isMetrologyLogEvent(o.event)) problems.push(`event must be one of the manual's metrology-log events (EichrechtServiceStarted … StationActivated), got ${quote(o.event)}`);
  if (!(metadata === null || typeof metadata === 'string' || (typeof metadata === 'object' && !Array.isArray(metadata)))) {
    problems.push(`metadata must be a JSON object, a text or null, got ${quote(metadata)}`);
  }
  if (problems.length > 0) return { ok: false, code: 'not-an-entry', reason: `the signed text is not a metrology-log entry: ${problems.join('; ')}` };
  return { ok: true, fields: { stationId: o.stationId as string, seq: o.seq as number, time: o.time as string, event: o.event as MetrologyLogFields['event'], metadata: metadata as MetrologyLogMetadata } };
}

function readKey(spkiHex: string): KeyObject | undefined {
  try {
    return createPublicKey({ key: Buffer.from(spkiHex, 'hex'), format: 'der', type: 'spki' });
  } catch {
    return undefined;
  }
}

function checks(data: Buffer, key: KeyObject, signature: Buffer): boolean {
  try {
    return verify('sha256', data, key, signature);
  } catch {
    return false;
  }
}

/** JSON with object keys sorted, so shown metadata compares by value, not by key order. */
function canonical(value: unknown): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sort) : v !== null && typeof v === 'object' ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, sort((v as Record<string, unknown>)[k])])) : v;
  return JSON.stringify(sort(value)) ?? 'undefined';
}

/** Outside text, quoted and cut, for reasons. */
function quote(value: unknown, max = 60): string {
  if (value === undefined) return 'nothing';
  const text = typeof value === 'string' ? value : String(JSON.stringify(value) ?? value);
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…(${text.length} characters)` : text);
}
