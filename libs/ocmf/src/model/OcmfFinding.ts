/**
 * A departure from the OCMF specification found in a dataset.
 * `error`: the dataset cannot be used as the spec intends (for example no pagination, an unreadable
 * reading time). `deviation`: the data can still be read unambiguously (a number written as a
 * string, a missing optional group); real meters do this and the ledger must keep their data.
 */
export interface OcmfFinding {
  severity: 'error' | 'deviation';
  /** Field path, e.g. `PG`, `RD[1].TM`, `SE`. */
  field: string;
  message: string;
}

/** Strict: every finding counts. Tolerant: only errors count. */
export type ValidationProfile = 'strict' | 'tolerant';

export interface Conformance {
  profile: ValidationProfile;
  conforming: boolean;
  errors: number;
  deviations: number;
}

export function assessConformance(findings: readonly OcmfFinding[], profile: ValidationProfile): Conformance {
  const errors = findings.filter((f) => f.severity === 'error').length;
  const deviations = findings.length - errors;
  return { profile, conforming: profile === 'strict' ? findings.length === 0 : errors === 0, errors, deviations };
}
