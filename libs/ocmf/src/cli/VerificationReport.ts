import type { DatasetEnvelope } from '../containers/DatasetEnvelope';
import { checkSession, type SessionCheck } from '../session/checkSession';
import type { Verdict, Verification } from '../Verification';

/** The JSON the CLI prints for one dataset: the verdict first, then what a reader needs to act on it. */
export interface VerificationReport {
  verdict: Verdict;
  reason: string;
  errorCode?: string;
  algorithm?: string;
  pagination?: string;
  paginationCounter?: string;
  keyCurve?: string;
  keySource?: 'given' | 'embedded' | 'none';
  verifier: string;
  transactionId?: string;
  context?: string;
  session?: Pick<SessionCheck, 'shape' | 'orderProblems'> & {
    energy?: { unit: string; begin: string; end: string; delivered: string; cumulatedLossBegin?: string; cumulatedLossEnd?: string };
    energyWithheld?: string;
    flags: string[];
  };
  conformance?: Verification['conformance'];
  findings: Verification['findings'];
}

export function toReport(v: Verification, env?: DatasetEnvelope, keySource?: VerificationReport['keySource']): VerificationReport {
  // Field order is the contract's: verdict, reason, algorithm, pagination first.
  const report = { verdict: v.verdict, reason: v.reason } as VerificationReport;
  if (v.algorithm) report.algorithm = v.algorithm;
  if (v.pagination) report.pagination = v.pagination;
  if (v.errorCode) report.errorCode = v.errorCode;
  if (v.paginationCounter) report.paginationCounter = v.paginationCounter;
  if (v.keyCurve) report.keyCurve = v.keyCurve;
  if (keySource) report.keySource = keySource;
  report.verifier = v.verifier;
  if (env?.transactionId) report.transactionId = env.transactionId;
  if (env?.context) report.context = env.context;
  if (v.dataset) {
    const s = checkSession(v.dataset.payload);
    report.session = { shape: s.shape, orderProblems: s.orderProblems, flags: s.flags.map((f) => f.message) };
    if (s.energy) {
      const e = s.energy;
      report.session.energy = { unit: e.unit, begin: e.begin.text, end: e.end.text, delivered: e.delivered.text };
      if (e.cumulatedLossBegin) report.session.energy.cumulatedLossBegin = e.cumulatedLossBegin.text;
      if (e.cumulatedLossEnd) report.session.energy.cumulatedLossEnd = e.cumulatedLossEnd.text;
    }
    if (s.energyWithheld) report.session.energyWithheld = s.energyWithheld;
  }
  if (v.conformance) report.conformance = v.conformance;
  report.findings = v.findings;
  return report;
}

const RANK: Record<Verdict, number> = { valid: 0, invalid: 1, error: 2 };

/** The verdict of several datasets together: the worst of them. */
export function worstVerdict(verdicts: readonly Verdict[]): Verdict {
  return verdicts.reduce<Verdict>((w, v) => (RANK[v] > RANK[w] ? v : w), 'valid');
}

export const EXIT_CODE: Record<Verdict, number> = { valid: 0, invalid: 1, error: 2 };
