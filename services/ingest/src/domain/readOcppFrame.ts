import { readContainer, readOcppSignedMeterValue, type DatasetEnvelope } from '@metrology-ledger/ocmf';
import { quoteBounded } from '@metrology-ledger/ledger';

/** OCPP 2.0.1's limit on `signedMeterData`; the edge accepts OCPP 2.1's 32,768 (real meters sign longer). */
export const OCPP_201_SIGNED_METER_DATA_LIMIT = 2500;

/** A signed value found in a frame: where it sits, and its dataset or why none could be read. */
export type SignedValueFound = { where: string } & (
  | { ok: true; envelope: DatasetEnvelope; /** Findings to keep with the verification (e.g. over the 2.0.1 limit). */ flags: string[] }
  | { ok: false; reason: string }
);

/** What the ledger takes from a frame beside its signed values: which transaction, connector and token. */
export interface FrameContext {
  transactionId?: string;
  connector?: number;
  idToken?: string;
  /** OCPP 2.0.1 TransactionEvent `seqNo`. */
  seqNo?: number;
}

export type FrameRead = { ok: true; action: string; context: FrameContext; signedValues: SignedValueFound[]; /** The frame's payload object, for readers of its other facts. */ payload: Record<string, unknown> } | { ok: false; reason: string };

/**
 * Reads the signed meter values out of one OCPP-J frame as the station sent it: every sampled value
 * of `meterValue` (1.6 MeterValues, 2.0.1 MeterValues and TransactionEvent) and `transactionData`
 * (1.6 StopTransaction), in the order they appear. 1.6: `format: "SignedData"`, the value either a
 * JSON string `{"signedMeterValue","encodingMethod","publicKey"}` or a bare `OCMF|…|…` (base64 of
 * one is read too). 2.0.1: `signedMeterValue` (SignedMeterValueType). A signed value that holds no
 * readable dataset is returned with the reason, never left out.
 */
export function readOcppFrame(frame: string, ocppVersion: '1.6' | '2.0.1'): FrameRead {
  let json: unknown;
  try {
    json = JSON.parse(frame);
  } catch (e) {
    return { ok: false, reason: `the frame is not JSON (${quoteBounded((e as Error).message, 120)})` };
  }
  if (!Array.isArray(json) || (json[0] !== 2 && json[0] !== 3)) return { ok: false, reason: 'the frame is not an OCPP-J CALL [2,id,action,payload] or CALLRESULT [3,id,payload]' };
  const action = json[0] === 2 && typeof json[2] === 'string' ? json[2] : 'CALLRESULT';
  const payload: unknown = json[0] === 2 ? json[3] : json[2];
  if (!isObject(payload)) return { ok: false, reason: 'the frame has no payload object' };
  const signedValues: SignedValueFound[] = [];
  for (const field of ['meterValue', 'transactionData'] as const) {
    const meterValues = payload[field];
    if (!Array.isArray(meterValues)) continue;
    meterValues.forEach((mv, i) => {
      const sampled = isObject(mv) && Array.isArray(mv.sampledValue) ? mv.sampledValue : [];
      sampled.forEach((sv, j) => {
        const where = `${field}[${i}].sampledValue[${j}]`;
        const found = ocppVersion === '1.6' ? signedValue16(sv) : signedValue201(sv);
        if (found) signedValues.push({ where, ...found });
      });
    });
  }
  return { ok: true, action, context: contextOf(payload, ocppVersion), signedValues, payload };
}

type Found = { ok: true; envelope: DatasetEnvelope; flags: string[] } | { ok: false; reason: string };

function signedValue16(sv: unknown): Found | undefined {
  if (!isObject(sv) || sv.format !== 'SignedData') return undefined;
  if (typeof sv.value !== 'string') return { ok: false, reason: 'SignedData value is not text' };
  const value = sv.value.trim();
  if (value.startsWith('{')) {
    let inner: unknown;
    try {
      inner = JSON.parse(value);
    } catch (e) {
      return { ok: false, reason: `SignedData value looks like JSON but does not parse (${quoteBounded((e as Error).message, 120)})` };
    }
    if (!isObject(inner) || typeof inner.signedMeterValue !== 'string') return { ok: false, reason: 'SignedData JSON has no signedMeterValue text' };
    const smv: Record<string, unknown> = { signedMeterData: inner.signedMeterValue, encodingMethod: inner.encodingMethod ?? 'OCMF' };
    if (inner.publicKey !== undefined) smv.publicKey = inner.publicKey;
    return single(readOcppSignedMeterValue(smv), []);
  }
  if (value.startsWith('OCMF|')) return single(readContainer(value), []);
  // Some stations send the dataset as base64, as in 2.0.1's signedMeterData.
  return single(readOcppSignedMeterValue({ signedMeterData: value }), []);
}

function signedValue201(sv: unknown): Found | undefined {
  if (!isObject(sv) || sv.signedMeterValue === undefined) return undefined;
  const smv = sv.signedMeterValue;
  if (!isObject(smv) || typeof smv.signedMeterData !== 'string') return { ok: false, reason: 'signedMeterValue has no signedMeterData text' };
  const flags =
    smv.signedMeterData.length > OCPP_201_SIGNED_METER_DATA_LIMIT
      ? [`signedMeterData is ${smv.signedMeterData.length} characters, over OCPP 2.0.1's limit of ${OCPP_201_SIGNED_METER_DATA_LIMIT} (accepted whole, as OCPP 2.1 allows)`]
      : [];
  return single(readOcppSignedMeterValue(smv), flags);
}

function single(read: ReturnType<typeof readContainer>, flags: string[]): Found {
  if (!read.ok) return { ok: false, reason: read.reason };
  if (read.datasets.length !== 1) return { ok: false, reason: `the signed value holds ${read.datasets.length} datasets; one was expected` };
  return { ok: true, envelope: read.datasets[0], flags };
}

function contextOf(p: Record<string, unknown>, version: '1.6' | '2.0.1'): FrameContext {
  const c: FrameContext = {};
  if (version === '1.6') {
    if (typeof p.transactionId === 'number' || typeof p.transactionId === 'string') c.transactionId = String(p.transactionId);
    if (typeof p.connectorId === 'number') c.connector = p.connectorId;
    if (typeof p.idTag === 'string') c.idToken = p.idTag;
    return c;
  }
  const info = p.transactionInfo;
  if (isObject(info) && typeof info.transactionId === 'string') c.transactionId = info.transactionId;
  const evse = p.evse;
  if (isObject(evse) && typeof evse.connectorId === 'number') c.connector = evse.connectorId;
  else if (isObject(evse) && typeof evse.id === 'number') c.connector = evse.id;
  else if (typeof p.evseId === 'number') c.connector = p.evseId;
  const token = p.idToken;
  if (isObject(token) && typeof token.idToken === 'string') c.idToken = token.idToken;
  if (typeof p.seqNo === 'number') c.seqNo = p.seqNo;
  return c;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
