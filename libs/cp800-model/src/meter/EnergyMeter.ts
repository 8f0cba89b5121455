import { cableLossMilliWh } from './CableLossCompensation';
import { powerW } from './ChargingPower';

/**
 * The MID meter (CPKM3000) register and the compensation the station applies. The register counts in
 * mWh (kept as a float, rounded only when written: OCMF shows kWh with 4 decimals, 0.1 Wh).
 */
export class EnergyMeter {
  private registerMilliWh: number;

  constructor(initialKWh = 0) {
    this.registerMilliWh = initialKWh * 1e6;
  }

  /** Raw (uncompensated) register, mWh. */
  get rawMilliWh(): number {
    return this.registerMilliWh;
  }

  /** Energy flowing for `durationMs` at `currentA`; returns the mWh added. */
  run(currentA: number, phases: 1 | 3, durationMs: number): number {
    const added = (powerW(currentA, phases) * durationMs) / 3600;
    this.registerMilliWh += added;
    return added;
  }
}

/** Cumulated cable loss of one session, reset at the begin reading (spec: CL must be reset at TX=B). */
export class SessionLoss {
  milliWh = 0;

  constructor(private readonly resistanceMicroOhm: number) {}

  add(currentA: number, phases: 1 | 3, durationMs: number): void {
    this.milliWh += cableLossMilliWh(this.resistanceMicroOhm, currentA, phases, durationMs);
  }
}

/** kWh with 4 decimals, as the CP800 writes RV and CL. */
export function toKWh4(milliWh: number): number {
  return Math.round(milliWh / 100) / 1e4;
}
