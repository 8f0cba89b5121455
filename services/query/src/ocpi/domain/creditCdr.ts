import type { Cdr } from './Cdr';
import type { WithholdReason } from './buildCdr';

/**
 * Why a CDR already delivered is credited: a later ledger fact makes its value no longer provable
 * (duty 7). `conflict`: a second validly signed packet for the same counter (ConflictReceived);
 * `token-mismatch`: the OCPP frames of its transaction, recorded later, name another token than the
 * signed identification (duty 6 cannot be shown); `invalid`: its packet no longer verifies as recorded.
 * The other withhold reasons cannot arise after a CDR was made (a figure, times, identification,
 * connector and location never go away), so they credit nothing.
 */
export const CREDIT_REASONS: readonly WithholdReason[] = ['conflict', 'token-mismatch', 'invalid'];

/** The id of the credit CDR of `cdrId`: OCPI suggests the original id with `-C` appended (34 characters, within CiString(36)). */
export function creditIdOf(cdrId: string): string {
  return `${cdrId}-C`;
}

/**
 * The credit CDR of a delivered CDR (OCPI 2.2.1 mod_cdrs, "Credit CDRs"): a new id, `credit` true,
 * `credit_reference_id` the original id, all the data of the original, and the amounts of
 * `total_cost` negated. The energy and times stay as they were: they describe the session credited.
 */
export function creditCdrOf(original: Cdr, reason: string, now: Date): Cdr {
  const remark = `credit of CDR ${original.id}: ${reason}`;
  return {
    ...original,
    id: creditIdOf(original.id),
    credit: true,
    credit_reference_id: original.id,
    total_cost: { excl_vat: negate(original.total_cost.excl_vat) },
    remark: remark.length > 255 ? `${remark.slice(0, 254)}…` : remark,
    last_updated: now.toISOString(),
  };
}

/** -x, with 0 as 0 (JSON has no -0). */
function negate(x: number): number {
  return x === 0 ? 0 : -x;
}
