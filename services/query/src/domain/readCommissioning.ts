import { isIsoTime, isStationId } from '@metrology-ledger/ledger';
import type { StationCommissioning } from './complianceDeadlines';

const OPTIONAL = ['decommissionedAt', 'authorityNotifiedAt', 'bnetzaNotifiedAt', 'bnetzaDecommissionNotifiedAt'] as const;

/**
 * Checks a stored commissioning record (one written by an older version may break today's rules) and
 * gives it with its times normalised, or the problem in words.
 */
export function readCommissioning(stationId: string, data: unknown): { ok: true; record: StationCommissioning } | { ok: false; problem: string } {
  if (typeof data !== 'object' || data === null) return { ok: false, problem: 'the latest commissioning record holds no data' };
  const d = data as Record<string, unknown>;
  if (d.stationId !== stationId || !isStationId(d.stationId)) return { ok: false, problem: 'the latest commissioning record names another or no valid station' };
  if (!isIsoTime(d.commissionedAt)) return { ok: false, problem: 'the latest commissioning record has no valid commissionedAt (ISO 8601); record it again' };
  const record: StationCommissioning = { stationId, commissionedAt: d.commissionedAt.replace(',', '.') };
  for (const field of OPTIONAL) {
    const v = d[field];
    if (v === undefined || v === null) continue;
    if (!isIsoTime(v)) return { ok: false, problem: `the latest commissioning record has an invalid ${field}; record it again` };
    record[field] = v.replace(',', '.');
  }
  return { ok: true, record };
}
