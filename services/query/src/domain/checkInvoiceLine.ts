import { compareDecimal, readDecimal, subtractDecimal } from '@metrology-ledger/ocmf';
import { provenSession } from './provenSession';
import type { SessionView } from './SessionView';

/** One invoice line as the eMSP bills it: the session, the energy billed in kWh, and the period its price applies to. */
export interface InvoiceLine {
  transactionId: string;
  stationId?: string;
  /** kWh billed, decimal text or number as written on the invoice. */
  kWh: string | number;
  /** The price period (ISO times): the session's signed readings must lie in [from, to). */
  priceFrom?: string;
  priceTo?: string;
}

/** What a signed packet proves, handed back with every verdict that has one. */
export interface InvoiceEvidence {
  stationId: string;
  pagination: string;
  /** The signed energy in kWh, exact decimal text. */
  provenKWh: string;
  start: string | null;
  end: string | null;
  identification: SessionView['identification'];
  verdict: string;
  verifier: string;
  publicKey: string;
  /** The signed packet exactly as recorded. */
  ocmf: string;
}

export type InvoiceCheck =
  | { verdict: 'match'; evidence: InvoiceEvidence }
  | { verdict: 'mismatch'; reason: 'energy-differs' | 'outside-price-period'; message: string; evidence: InvoiceEvidence }
  | { verdict: 'refused'; reason: 'missing' | 'ambiguous' | 'conflict' | 'invalid' | 'no-energy' | 'not-a-number'; message: string };

/**
 * MessEG §33 (3), duty 4: does an invoice line bill what the signed packets prove? Only a session
 * whose one packet exists, verifies and is not in conflict proves energy (duty 7): any other line is
 * refused with the reason, never matched. kWh are compared exactly as decimals (a Wh packet is
 * converted by moving the point), never as floating point. The price period is compared with the
 * station's clock, which is informative only (duty 2): a session outside it is a mismatch to look at,
 * not a proof of a wrong bill.
 */
export function checkInvoiceLine(line: InvoiceLine, sessions: readonly SessionView[]): InvoiceCheck {
  const billed = readDecimal(String(line.kWh).trim());
  if (!billed.ok || (typeof line.kWh === 'number' && !Number.isFinite(line.kWh))) return { verdict: 'refused', reason: 'not-a-number', message: `kWh is not a decimal number: ${billed.ok ? 'not finite' : billed.reason}` };
  const found = provenSession(sessions);
  if (!found.ok) return { verdict: 'refused', reason: found.reason, message: found.message };
  const { session: s, kWh: proven } = found;
  const evidence: InvoiceEvidence = {
    stationId: s.stationId,
    pagination: s.pagination,
    provenKWh: proven.text,
    start: s.startTime,
    end: s.endTime,
    identification: s.identification,
    verdict: s.verdict,
    verifier: s.verifier,
    publicKey: s.publicKey,
    ocmf: s.ocmf,
  };
  if (compareDecimal(billed.decimal, proven) !== 0) {
    const diff = subtractDecimal(billed.decimal, proven);
    return { verdict: 'mismatch', reason: 'energy-differs', message: `billed ${billed.decimal.text} kWh, the signed packet proves ${proven.text} kWh (difference ${diff?.text ?? '?'} kWh)`, evidence };
  }
  const outside = [s.startTime, s.endTime].some((t) => t !== null && ((line.priceFrom !== undefined && t < iso(line.priceFrom)) || (line.priceTo !== undefined && t >= iso(line.priceTo))));
  if (outside) {
    return { verdict: 'mismatch', reason: 'outside-price-period', message: `the signed readings (${s.startTime} to ${s.endTime}, station clock, informative) lie outside the price period`, evidence };
  }
  return { verdict: 'match', evidence };
}

function iso(t: string): string {
  const ms = Date.parse(t);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : t;
}
