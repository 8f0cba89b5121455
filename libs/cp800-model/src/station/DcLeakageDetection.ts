/**
 * 6 mA DC leakage detection (station manual, "Détection de fuite de CC de 6 mA"): a leakage that stops
 * within 10 s does not trip; one that lasts opens the relays (fault dc-ground-fault, which clears
 * itself 10 s later). A leakage still present when the fault would clear is non-recoverable
 * (dc-ground-fault-nonrecoverable): the vehicle must be unplugged.
 */
export const LEAKAGE_TOLERANCE_MS = 10_000;
export const GROUND_FAULT_CLEAR_MS = 10_000;

export type LeakageOutcome =
  | { kind: 'tolerated' }
  | { kind: 'tripped'; tripAt: number; clearsAt: number }
  | { kind: 'non-recoverable'; tripAt: number };

export function evaluateDcLeakage(t: number, durationMs: number): LeakageOutcome {
  if (durationMs < LEAKAGE_TOLERANCE_MS) return { kind: 'tolerated' };
  const tripAt = t + LEAKAGE_TOLERANCE_MS;
  if (durationMs >= LEAKAGE_TOLERANCE_MS + GROUND_FAULT_CLEAR_MS) return { kind: 'non-recoverable', tripAt };
  return { kind: 'tripped', tripAt, clearsAt: tripAt + GROUND_FAULT_CLEAR_MS };
}
