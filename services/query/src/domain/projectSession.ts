import { checkSession, parseOcmf } from '@metrology-ledger/ocmf';
import type { ConflictReceived, DatasetRecorded } from '@metrology-ledger/ledger';
import type { SessionView } from './SessionView';

/** The session view of a recorded dataset: what the signed packet says, read with libs/ocmf. */
export function sessionFromDataset(e: DatasetRecorded, streamId: string, recordedAt: string): SessionView {
  const d = e.data;
  const view: SessionView = {
    stationId: d.stationId,
    publicKey: d.publicKey,
    streamId,
    counter: d.counter,
    pagination: d.pagination,
    transactionId: d.transactionId ?? null,
    connector: d.connector ?? null,
    emspId: d.emspId ?? null,
    status: 'recorded',
    ocmf: d.ocmf,
    conflictingOcmf: [],
    verdict: d.verification.verdict,
    verifier: d.verification.verifier,
    recordedAt,
    startTime: null,
    endTime: null,
    energy: null,
    unit: null,
    energyWithheld: 'dataset could not be read',
    identification: { status: null, type: null, data: null },
    cumulatedLoss: null,
    timeStatus: [],
  };
  const parsed = parseOcmf(d.ocmf);
  if (!parsed.ok) return view;
  const p = parsed.dataset.payload;
  const times = p.readings.map((r) => r.time?.iso).filter((t): t is string => !!t);
  view.startTime = times[0] ?? null;
  view.endTime = times[times.length - 1] ?? null;
  view.identification = { status: p.identificationStatus ?? null, type: p.identificationType ?? null, data: p.identificationData ?? null };
  view.timeStatus = p.readings.map((r) => String(r.time?.status ?? '?'));
  const s = checkSession(p);
  view.energy = s.energy?.delivered.text ?? null;
  view.unit = s.energy?.unit ?? null;
  view.cumulatedLoss = s.energy?.cumulatedLossEnd?.text ?? null;
  view.energyWithheld = s.energy ? null : (s.energyWithheld ?? 'no energy figure');
  return view;
}

/** A second, different, validly signed packet for the counter: the session is in conflict. */
export function withConflict(view: SessionView, e: ConflictReceived): SessionView {
  return { ...view, status: 'conflict', conflictingOcmf: [...view.conflictingOcmf, e.data.ocmf] };
}
