/**
 * Loss in the tethered cable, which the CP800 withdraws from the meter reading (CL, cumulated loss):
 * P = R·I² per conductor carrying current, E = P·t. A single-phase charge loads two conductors
 * (phase and neutral); a balanced three-phase charge loads three (no neutral current). With the socket
 * version R is 0 and so is every CL.
 *
 * @returns loss in mWh for `durationMs` at `currentA`, with the cable resistance in µΩ.
 */
export function cableLossMilliWh(resistanceMicroOhm: number, currentA: number, phases: 1 | 3, durationMs: number): number {
  const conductors = phases === 1 ? 2 : 3;
  const watts = conductors * (resistanceMicroOhm / 1e6) * currentA * currentA;
  return (watts * durationMs) / 3600; // W·ms -> mWh
}
