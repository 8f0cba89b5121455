import fc from 'fast-check';

export type FuzzVersion = '1.6' | '2.0.1';

/**
 * What the edge must do with one frame. `error`: a CALLERROR for message id `id` whose code is one
 * of `codes`; `silent`: no answer (a CALLRESULT or CALLERROR from a station that the standalone
 * edge never called); `result`: a CALLRESULT. `counts` says how the frame counts toward
 * EDGE_MAX_BAD_FRAMES in a row (an empty frame, which ocpp-rpc ignores, is not generated): `bad` adds one, `good` starts again, `neutral` (an action the
 * edge does not handle, answered NotImplemented) does neither.
 */
export type FrameExpectation =
  | { answer: 'error'; id: string; codes: readonly string[]; counts: 'bad' | 'neutral' }
  | { answer: 'silent'; counts: 'bad' }
  | { answer: 'result'; id: string; counts: 'good' };

export interface FuzzFrame {
  /** Which rule the frame breaks (for the counts). */
  label: string;
  text: string;
  expect: FrameExpectation;
}

/**
 * The OCPP error codes for each kind of fault, per version (OCPP-J 1.6 §4.2.3 with its errata,
 * OCPP-J 2.0.1 §4.3). A frame that is not an OCPP-J message at all has no 1.6 code: ocpp-rpc answers
 * it with 2.0.1's RpcFrameworkError / MessageTypeNotSupported (message id "-1") in both versions,
 * which the edge's README documents.
 */
export const ERROR_CODES = {
  notOcppJ: ['RpcFrameworkError'],
  messageType: ['MessageTypeNotSupported'],
  occurrence: { '1.6': ['OccurrenceConstraintViolation', 'OccurenceConstraintViolation'], '2.0.1': ['OccurrenceConstraintViolation'] },
  type: ['TypeConstraintViolation'],
  value: { '1.6': ['PropertyConstraintViolation', 'FormationViolation'], '2.0.1': ['PropertyConstraintViolation', 'FormatViolation'] },
  notAnObject: { '1.6': ['TypeConstraintViolation', 'FormationViolation', 'ProtocolError'], '2.0.1': ['TypeConstraintViolation', 'FormatViolation', 'ProtocolError'] },
  notImplemented: ['NotImplemented'],
} as const;

/** A valid request of an action the standalone edge handles, with one field whose value is constrained. */
interface Template {
  action: string;
  payload: Record<string, unknown>;
  required: string[];
  /** A field and a value of the right JSON type that the schema refuses (enum, length or format). */
  badValue: [string, unknown];
}

const TEMPLATES: Record<FuzzVersion, Template[]> = {
  '1.6': [
    { action: 'BootNotification', payload: { chargePointVendor: 'Vendor', chargePointModel: 'CP800' }, required: ['chargePointVendor', 'chargePointModel'], badValue: ['chargePointVendor', 'V'.repeat(21)] },
    { action: 'StatusNotification', payload: { connectorId: 1, errorCode: 'NoError', status: 'Available' }, required: ['connectorId', 'errorCode', 'status'], badValue: ['status', 'Sleeping'] },
    { action: 'Authorize', payload: { idTag: '04A1B2C3' }, required: ['idTag'], badValue: ['idTag', 'X'.repeat(21)] },
    { action: 'StartTransaction', payload: { connectorId: 1, idTag: '04A1B2C3', meterStart: 0, timestamp: '2025-06-03T07:48:45Z' }, required: ['connectorId', 'idTag', 'meterStart', 'timestamp'], badValue: ['timestamp', 'yesterday'] },
    { action: 'MeterValues', payload: { connectorId: 1, meterValue: [{ timestamp: '2025-06-03T07:48:45Z', sampledValue: [{ value: '1' }] }] }, required: ['connectorId', 'meterValue'], badValue: ['meterValue', [{ timestamp: 'now', sampledValue: [{ value: '1' }] }]] },
  ],
  '2.0.1': [
    { action: 'BootNotification', payload: { reason: 'PowerUp', chargingStation: { model: 'CP800', vendorName: 'Vendor' } }, required: ['reason', 'chargingStation'], badValue: ['reason', 'Tired'] },
    { action: 'StatusNotification', payload: { timestamp: '2025-06-03T07:48:45Z', connectorStatus: 'Available', evseId: 1, connectorId: 1 }, required: ['timestamp', 'connectorStatus', 'evseId', 'connectorId'], badValue: ['timestamp', 'yesterday'] },
    { action: 'Authorize', payload: { idToken: { idToken: '04A1B2C3', type: 'ISO14443' } }, required: ['idToken'], badValue: ['idToken', { idToken: 'X'.repeat(37), type: 'ISO14443' }] },
    { action: 'MeterValues', payload: { evseId: 1, meterValue: [{ timestamp: '2025-06-03T07:48:45Z', sampledValue: [{ value: 1 }] }] }, required: ['evseId', 'meterValue'], badValue: ['meterValue', [{ timestamp: '2025-06-03T07:48:45Z', sampledValue: [{ value: 1, measurand: 'Energy.Wasted' }] }]] },
  ],
};

const jsonType = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/** A JSON value of another type than `v` (string, number, boolean, null, array, object). */
function otherType(v: unknown, pick: number): unknown {
  const candidates = ['x', 7, true, null, [], {}].filter((c) => jsonType(c) !== jsonType(v));
  return candidates[pick % candidates.length];
}

const messageId = fc.stringMatching(/^[A-Za-z0-9-]{1,36}$/);
const nonString = fc.oneof(fc.integer(), fc.constant(null), fc.boolean(), fc.constant({}), fc.constant([]));
const notJson = fc.oneof(fc.string({ minLength: 1, maxLength: 200 }), fc.string({ minLength: 1, maxLength: 200, unit: 'binary' }), fc.constantFrom('[2,"a","Heartbeat",{}', '[2,"a",\'Heartbeat\',{}]', '{"a":1', '[2, "a", "Heartbeat", {},]', 'NaN', '\u0000', '[2,"a","Heartbeat",{"x":01}]')).filter((s) => {
  try {
    JSON.parse(s);
    return false;
  } catch {
    return true;
  }
});

/** Every kind of malformed frame, plus the odd good Heartbeat and unhandled action, for one OCPP version. */
export function fuzzFrame(version: FuzzVersion): fc.Arbitrary<FuzzFrame> {
  const template = fc.constantFrom(...TEMPLATES[version]);
  const err = (label: string, text: string, id: string, codes: readonly string[]): FuzzFrame => ({ label, text, expect: { answer: 'error', id, codes, counts: 'bad' } });
  const call = (id: string, action: unknown, payload: unknown) => JSON.stringify([2, id, action, payload]);
  return fc.oneof(
    { weight: 3, arbitrary: notJson.map((t) => err('not-json', t, '-1', ERROR_CODES.notOcppJ)) },
    { weight: 2, arbitrary: fc.oneof(fc.object(), fc.integer(), fc.string(), fc.constant(null), fc.boolean()).map((v) => err('not-an-array', JSON.stringify(v), '-1', ERROR_CODES.notOcppJ)) },
    { weight: 1, arbitrary: fc.tuple(fc.oneof(fc.string(), fc.constant(null), fc.constant([])), messageId).map(([t, id]) => err('type-not-a-number', JSON.stringify([t, id, 'Heartbeat', {}]), '-1', ERROR_CODES.notOcppJ)) },
    { weight: 1, arbitrary: fc.tuple(fc.oneof(fc.integer({ min: -5, max: 1 }), fc.integer({ min: 5, max: 1000 }), fc.constant(2.5)), messageId).map(([t, id]) => err('unknown-message-type', JSON.stringify([t, id, 'Heartbeat', {}]), '-1', ERROR_CODES.messageType)) },
    { weight: 1, arbitrary: nonString.map((id) => err('id-not-a-string', JSON.stringify([2, id, 'Heartbeat', {}]), '-1', ERROR_CODES.notOcppJ)) },
    { weight: 1, arbitrary: fc.tuple(messageId, nonString).map(([id, a]) => err('action-not-a-string', call(id, a, {}), id, ERROR_CODES.notOcppJ)) },
    { weight: 4, arbitrary: fc.tuple(messageId, template, fc.nat()).map(([id, t, k]) => {
      const payload = { ...t.payload };
      delete payload[t.required[k % t.required.length]];
      return err('missing-required-field', call(id, t.action, payload), id, ERROR_CODES.occurrence[version]);
    }) },
    { weight: 4, arbitrary: fc.tuple(messageId, template, fc.nat(), fc.nat()).map(([id, t, k, pick]) => {
      const field = t.required[k % t.required.length];
      return err('wrong-type', call(id, t.action, { ...t.payload, [field]: otherType(t.payload[field], pick) }), id, ERROR_CODES.type);
    }) },
    { weight: 3, arbitrary: fc.tuple(messageId, template).map(([id, t]) => err('value-out-of-range', call(id, t.action, { ...t.payload, [t.badValue[0]]: t.badValue[1] }), id, ERROR_CODES.value[version])) },
    { weight: 2, arbitrary: fc.tuple(messageId, template, fc.stringMatching(/^[a-z]{3,12}$/)).map(([id, t, extra]) => err('unknown-property', call(id, t.action, { ...t.payload, [`zz${extra}`]: 1 }), id, ERROR_CODES.value[version])) },
    { weight: 2, arbitrary: fc.tuple(messageId, template, fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant([]), fc.boolean())).map(([id, t, p]) => err('payload-not-an-object', call(id, t.action, p), id, ERROR_CODES.notAnObject[version])) },
    { weight: 2, arbitrary: fc.tuple(messageId, fc.boolean()).map(([id, result]) => ({ label: 'answer-to-no-call', text: JSON.stringify(result ? [3, id, {}] : [4, id, 'GenericError', '', {}]), expect: { answer: 'silent', counts: 'bad' } as const })) },
    { weight: 1, arbitrary: messageId.map((id) => ({ label: 'heartbeat', text: call(id, 'Heartbeat', {}), expect: { answer: 'result', id, counts: 'good' } as const })) },
    { weight: 1, arbitrary: fc.tuple(messageId, fc.stringMatching(/^[A-Z][A-Za-z]{2,20}$/)).map(([id, a]) => ({ label: 'unhandled-action', text: call(id, `Vendor${a}`, {}), expect: { answer: 'error', id, codes: ERROR_CODES.notImplemented, counts: 'neutral' } as const })) },
  );
}
