import type { StationFaultReported } from '@metrology-ledger/ledger';

export interface ComplianceStatus {
  stationId: string;
  /** True while a critical catalogue fault is active: the station must be taken out of service. */
  outOfService: boolean;
  activeFaults: { faultId: string; severity: string; since: string; hostMessage: string }[];
  reasons: string[];
}

/**
 * A station's compliance from the faults it reported, folded in order: a fault is active from
 * `raised` until `cleared`. Critical faults (e.g. eichrecht-meter-mismatch,
 * signature-verification-failed) mean the station must not be used for billing.
 */
export function complianceStatus(stationId: string, faults: StationFaultReported['data'][]): ComplianceStatus {
  const active = new Map<string, StationFaultReported['data']>();
  for (const f of [...faults].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))) {
    if (f.state === 'raised') active.set(f.faultId, f);
    else active.delete(f.faultId);
  }
  const activeFaults = [...active.values()].map((f) => ({ faultId: f.faultId, severity: f.severity, since: f.at, hostMessage: f.hostMessage }));
  const critical = activeFaults.filter((f) => f.severity === 'Critical');
  return {
    stationId,
    outOfService: critical.length > 0,
    activeFaults,
    reasons: critical.map((f) => `critical fault ${f.faultId} since ${f.since}: take the station out of service`),
  };
}
