import { CsvWriter } from '../export/CsvWriter';
import type { AuditReport } from './AuditReport';

const csv = new CsvWriter(['section', 'key', 'value', 'sessions'] as const);

/** The report's per-day energy, outcomes, firmware reported at boot, open gaps and missing seqNos (one row per range) as CSV, through the one CSV writer. */
export function* renderAuditReportCsv(r: AuditReport): Generator<string> {
  yield csv.header();
  for (const d of r.energyPerDay) yield csv.row({ section: 'energy_kwh', key: d.day, value: d.energy, sessions: d.sessions });
  yield csv.row({ section: 'outcome', key: 'valid', value: r.outcomes.valid });
  yield csv.row({ section: 'outcome', key: 'conflicts', value: r.outcomes.conflicts });
  yield csv.row({ section: 'outcome', key: 'duplicates', value: r.outcomes.duplicates });
  yield csv.row({ section: 'outcome', key: 'without_energy', value: r.sessionsWithoutEnergy });
  for (const [code, n] of Object.entries(r.outcomes.rejected)) yield csv.row({ section: 'outcome', key: `rejected:${code}`, value: n });
  if (r.stationFirmware.current) yield csv.row({ section: 'firmware_version', key: r.stationFirmware.current.reportedAt, value: r.stationFirmware.current.version });
  for (const c of r.stationFirmware.changes) yield csv.row({ section: c.logEntry ? 'firmware_change' : 'firmware_change_unlogged', key: c.reportedAt, value: `${c.from} -> ${c.to}` });
  for (const s of r.streams) {
    yield csv.row({ section: 'missing_count', key: s.streamId, value: s.missingCount });
    for (const g of s.missing) yield csv.row({ section: 'missing', key: s.streamId, value: `${g.from}-${g.to}` });
  }
  for (const t of r.seqNoGaps) {
    yield csv.row({ section: 'seqno_missing_count', key: t.transactionId, value: t.missingCount });
    for (const g of t.missing) yield csv.row({ section: 'seqno_missing', key: t.transactionId, value: `${g.from}-${g.to}` });
  }
}
