import type { FaultSpec } from '@metrology-ledger/cp800-model';

/** The simulator CLI's `--faults` text (`key=rate,…`) for a fault spec: every rate, so the CLI's fleet is the one simulated in process. */
export function faultSpecText(faults: FaultSpec): string {
  return Object.entries(faults)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
