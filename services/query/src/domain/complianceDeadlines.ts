import type { StationCommissioningRecorded } from '@metrology-ledger/ledger';

/**
 * The operator's calibration-law deadlines for a station (station manual, Annexe A, and MessEV §34 /
 * annex 7): notify the competent calibration authority within 6 weeks of commissioning, the
 * Bundesnetzagentur within 2 weeks of commissioning and of decommissioning; calibration is valid for
 * 8 years from commissioning.
 */
/** What the operator recorded (the ledger event's data, without its recording time). */
export type StationCommissioning = Omit<StationCommissioningRecorded['data'], 'recordedAt'>;

export interface Deadline {
  stationId: string;
  duty: 'notify-calibration-authority' | 'notify-bnetza-commissioning' | 'notify-bnetza-decommissioning' | 'recalibrate';
  dueAt: string;
  state: 'done' | 'due' | 'overdue';
}

const DAY = 86_400_000;

function addYears(iso: string, years: number): string {
  const d = new Date(iso);
  d.setUTCFullYear(d.getUTCFullYear() + years);
  return d.toISOString();
}

export function complianceDeadlines(s: StationCommissioning, now: Date): Deadline[] {
  const t = (iso: string) => Date.parse(iso);
  const at = (iso: string, days: number) => new Date(t(iso) + days * DAY).toISOString();
  const state = (due: string, doneAt?: string): Deadline['state'] => (doneAt ? 'done' : now.getTime() > t(due) ? 'overdue' : 'due');
  const out: Deadline[] = [
    { stationId: s.stationId, duty: 'notify-calibration-authority', dueAt: at(s.commissionedAt, 42), state: state(at(s.commissionedAt, 42), s.authorityNotifiedAt) },
    { stationId: s.stationId, duty: 'notify-bnetza-commissioning', dueAt: at(s.commissionedAt, 14), state: state(at(s.commissionedAt, 14), s.bnetzaNotifiedAt) },
  ];
  if (s.decommissionedAt) {
    out.push({ stationId: s.stationId, duty: 'notify-bnetza-decommissioning', dueAt: at(s.decommissionedAt, 14), state: state(at(s.decommissionedAt, 14), s.bnetzaDecommissionNotifiedAt) });
  } else {
    const due = addYears(s.commissionedAt, 8);
    out.push({ stationId: s.stationId, duty: 'recalibrate', dueAt: due, state: now.getTime() > t(due) ? 'overdue' : 'due' });
  }
  return out;
}
