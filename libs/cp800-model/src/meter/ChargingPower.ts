/** Nominal voltage of the model (station manual: 230 V). */
export const NOMINAL_VOLTAGE_V = 230;
/** IEC 61851 current range a charging station may offer. */
export const MIN_CURRENT_A = 6;
export const MAX_CURRENT_A = 32;

export interface CurrentLimits {
  /** Installation / station limit. */
  stationA: number;
  /** What the vehicle draws at most. */
  vehicleA: number;
  /** Schedule or energy-management limit at this moment (undefined: none). */
  scheduleA?: number;
}

/**
 * The current that flows: the lowest of the station, vehicle and schedule limits, and 0 when that is
 * below the 6 A a station may offer (the vehicle then waits).
 */
export function effectiveCurrentA(limits: CurrentLimits): number {
  const i = Math.min(limits.stationA, limits.vehicleA, limits.scheduleA ?? Infinity, MAX_CURRENT_A);
  return i < MIN_CURRENT_A ? 0 : i;
}

/** Active power drawn, W. */
export function powerW(currentA: number, phases: 1 | 3): number {
  return NOMINAL_VOLTAGE_V * currentA * phases;
}
