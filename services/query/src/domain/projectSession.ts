import { checkSession, parseOcmf, type OcmfPayload } from '@metrology-ledger/ocmf';
import type { ConflictReceived, DatasetRecorded } from '@metrology-ledger/ledger';
import type { SessionView } from './SessionView';

/** What a projection gives: the view, always, and for the service log what could not be read. */
export interface Projection {
  view: SessionView;
  /** Internal detail (never shown to callers): why the record was projected without an energy figure. */
  problem?: string;
}

export const UNREADABLE_DATASET = 'dataset could not be read';
export const OUT_OF_RANGE_VALUE = 'a reading value (RV or CL) is not a finite number: no energy figure';
export const UNEVALUABLE_READINGS = 'the signed readings could not be evaluated: no energy figure';

const text = (v: unknown): string | null => (typeof v === 'string' ? v : v === undefined || v === null ? null : String(v));

/**
 * The session view of a recorded dataset: what the signed packet says, read with libs/ocmf. Never
 * throws: a record that cannot be read completely (a value beyond the range of a number, a field of
 * the wrong type stored by an older version) becomes a view with no energy figure and the reason in
 * `energyWithheld`, so one record can never stop a refresh or the service's start. `check` is libs/ocmf's
 * session check (replaceable in tests).
 */
export function projectDataset(e: DatasetRecorded, streamId: string, recordedAt: string, check: typeof checkSession = checkSession): Projection {
  const d = (e.data ?? {}) as Partial<DatasetRecorded['data']>;
  const view: SessionView = {
    stationId: String(d.stationId ?? ''),
    publicKey: String(d.publicKey ?? ''),
    streamId,
    counter: String(d.counter ?? ''),
    pagination: String(d.pagination ?? ''),
    transactionId: text(d.transactionId),
    connector: typeof d.connector === 'number' && Number.isFinite(d.connector) ? d.connector : null,
    emspId: text(d.emspId),
    emspSource: d.emspId ? 'message' : null,
    token: null,
    tokenMismatch: null,
    status: 'recorded',
    ocmf: typeof d.ocmf === 'string' ? d.ocmf : '',
    conflictingOcmf: [],
    verdict: String(d.verification?.verdict ?? 'unknown'),
    verifier: String(d.verification?.verifier ?? 'unknown'),
    recordedAt,
    startTime: null,
    endTime: null,
    energy: null,
    unit: null,
    energyWithheld: UNREADABLE_DATASET,
    identification: { status: null, type: null, data: null },
    cumulatedLoss: null,
    timeStatus: [],
  };
  if (typeof d.ocmf !== 'string') return { view, problem: 'the record holds no OCMF text' };
  try {
    const parsed = parseOcmf(d.ocmf);
    if (!parsed.ok) return { view };
    const p = parsed.dataset.payload;
    const times = p.readings.map((r) => r.time?.iso).filter((t): t is string => !!t);
    view.startTime = times[0] ?? null;
    view.endTime = times[times.length - 1] ?? null;
    view.identification = { status: p.identificationStatus ?? null, type: p.identificationType ?? null, data: p.identificationData ?? null };
    view.timeStatus = p.readings.map((r) => String(r.time?.status ?? '?'));
    if (!finiteValues(p)) {
      view.energyWithheld = OUT_OF_RANGE_VALUE;
      return { view, problem: OUT_OF_RANGE_VALUE };
    }
    const s = check(p);
    view.energy = s.energy?.delivered.text ?? null;
    view.unit = s.energy?.unit ?? null;
    view.cumulatedLoss = s.energy?.cumulatedLossEnd?.text ?? null;
    view.energyWithheld = s.energy ? null : (s.energyWithheld ?? 'no energy figure');
    return { view };
  } catch (error) {
    Object.assign(view, { energy: null, unit: null, cumulatedLoss: null, energyWithheld: UNEVALUABLE_READINGS });
    return { view, problem: `${(error as Error)?.name ?? 'Error'}: ${(error as Error)?.message ?? String(error)}` };
  }
}

function finiteValues(p: OcmfPayload): boolean {
  return p.readings.every((r) => [r.value, r.cumulatedLoss].every((v) => v === undefined || (Number.isFinite(v.value) && /^[+-]?\d+(\.\d+)?$/.test(v.text))));
}

/** The view alone (see `projectDataset`). */
export function sessionFromDataset(e: DatasetRecorded, streamId: string, recordedAt: string): SessionView {
  return projectDataset(e, streamId, recordedAt).view;
}

/** A second, different, validly signed packet for the counter: the session is in conflict. */
export function withConflict(view: SessionView, e: ConflictReceived): SessionView {
  return { ...view, status: 'conflict', conflictingOcmf: [...view.conflictingOcmf, String(e.data?.ocmf ?? '')] };
}
