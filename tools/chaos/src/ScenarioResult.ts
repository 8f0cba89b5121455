/** One row of the chaos table: what a scenario did and what the ledger holds after it. */
export interface ScenarioResult {
  scenario: string;
  messagesSent: number;
  faultsInjected: number;
  /** From the end of the last fault to the ledger holding every message published by then (undefined: not measured). */
  recoverMs: number | undefined;
  /** Published messages the ledger holds no record of. */
  lost: number;
  /** Messages with more than one record. */
  duplicated: number;
  /** Missing counters the ledger reports as open gaps. */
  gapsReported: number;
  /** Missing counters the simulator injected (dropped or tampered) that the ledger can see. */
  gapsInjected: number;
  chainsIntact: boolean;
  /** Every check that failed, reconciliation differences included; empty when the row passes. */
  failures: string[];
}

/** A row passes when nothing is lost or doubled, the gaps are exactly the injected ones, every chain holds and no check failed. */
export function rowPasses(r: ScenarioResult): boolean {
  return r.lost === 0 && r.duplicated === 0 && r.gapsReported === r.gapsInjected && r.chainsIntact && r.failures.length === 0;
}
