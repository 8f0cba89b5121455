import { readDecimal, type DecimalValue } from '@metrology-ledger/ocmf';
import type { SessionView } from './SessionView';

export type ProvenSession =
  | { ok: true; session: SessionView; kWh: DecimalValue }
  | { ok: false; reason: 'missing' | 'ambiguous' | 'conflict' | 'invalid' | 'no-energy'; message: string };

/**
 * Duty 7 in one place: the one session among those found for a transaction whose packet exists,
 * verifies, is not in conflict and gives an energy figure (in kWh, exact), or why there is none. An
 * invoice check, a receipt and a CDR use nothing else: no substitute value is ever produced.
 */
export function provenSession(sessions: readonly SessionView[]): ProvenSession {
  if (sessions.length === 0) return { ok: false, reason: 'missing', message: 'no signed packet is recorded for this session: no energy is proven' };
  const stations = new Set(sessions.map((s) => s.stationId)).size;
  if (stations > 1) return { ok: false, reason: 'ambiguous', message: `the transaction id is used at ${stations} stations: give stationId` };
  if (sessions.length > 1) return { ok: false, reason: 'ambiguous', message: `station ${sessions[0].stationId} recorded ${sessions.length} sessions under this transaction id: no packet is chosen` };
  const s = sessions[0];
  if (s.status === 'conflict') return { ok: false, reason: 'conflict', message: 'more than one validly signed packet exists for this session: nothing is proven until the conflict is resolved' };
  if (s.verdict !== 'valid') return { ok: false, reason: 'invalid', message: `the packet does not verify (${s.verdict}): it proves nothing` };
  const kWh = s.energy === null ? undefined : toKWh(s.energy, s.unit);
  if (!kWh) return { ok: false, reason: 'no-energy', message: `the packet gives no energy figure: ${s.energyWithheld ?? `unit ${JSON.stringify(s.unit)}`}` };
  return { ok: true, session: s, kWh };
}

/** Signed energy in kWh, exact: a Wh figure has its point moved, never divided in floating point. */
export function toKWh(energy: string, unit: string | null): DecimalValue | undefined {
  const read = unit === 'kWh' ? readDecimal(energy) : unit === 'Wh' ? readDecimal(`${energy}e-3`) : undefined;
  return read?.ok ? read.decimal : undefined;
}
