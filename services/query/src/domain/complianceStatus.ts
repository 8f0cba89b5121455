import type { StationFaultReported } from '@metrology-ledger/ledger';

export interface ComplianceStatus {
  stationId: string;
  /** True while a critical catalogue fault is active: the station must be taken out of service. */
  outOfService: boolean;
  activeFaults: { faultId: string; severity: string; since: string; hostMessage: string }[];
  reasons: string[];
}

type Fault = StationFaultReported['data'];

/**
 * The faults of a station folded one report at a time, in any arrival order: per fault id the report
 * with the latest `at` counts (on equal times the later report), and a fault is active when that report
 * says `raised`. Memory grows with distinct fault ids, never with the number of reports.
 */
export class ActiveFaults {
  private readonly latest = new Map<string, Fault>();

  add(f: Fault): void {
    if (typeof f?.faultId !== 'string' || typeof f.at !== 'string') return;
    const current = this.latest.get(f.faultId);
    if (!current || !(f.at < current.at)) this.latest.set(f.faultId, f);
  }

  /**
   * Critical faults (e.g. eichrecht-meter-mismatch, signature-verification-failed) mean the station
   * must not be used for billing.
   */
  status(stationId: string): ComplianceStatus {
    const activeFaults = [...this.latest.values()]
      .filter((f) => f.state === 'raised')
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0))
      .map((f) => ({ faultId: f.faultId, severity: String(f.severity), since: f.at, hostMessage: String(f.hostMessage ?? '') }));
    const critical = activeFaults.filter((f) => f.severity === 'Critical');
    return {
      stationId,
      outOfService: critical.length > 0,
      activeFaults,
      reasons: critical.map((f) => `critical fault ${f.faultId} since ${f.since}: take the station out of service`),
    };
  }
}

/** A station's compliance from the faults it reported (see ActiveFaults). */
export function complianceStatus(stationId: string, faults: Iterable<Fault>): ComplianceStatus {
  const fold = new ActiveFaults();
  for (const f of faults) fold.add(f);
  return fold.status(stationId);
}
