import type { Ledger, StationFaultReported } from '@metrology-ledger/ledger';
import { ActiveFaults, type ComplianceStatus } from '../domain/complianceStatus';

/** A station's compliance, folded from its fault stream while reading it (`stationStream('faults')`, `eventsOf`). */
export async function collectComplianceStatus(ledger: Ledger, stationId: string): Promise<ComplianceStatus> {
  const faults = new ActiveFaults();
  for await (const { event } of ledger.eventsOf(ledger.stationStream(stationId, 'faults'))) {
    if (event.type === 'StationFaultReported') faults.add((event as StationFaultReported).data);
  }
  return faults.status(stationId);
}
