import { randomUUID } from 'node:crypto';
import { HttpException, HttpStatus } from '@nestjs/common';
import { HistoryRewritten, LedgerKeyProblem, LedgerRuleViolation } from '@metrology-ledger/ledger';
import { TooManyFailedAuthentications } from '../auth/TooManyFailedAuthentications';
import { InvalidCursor } from '../paging/InvalidCursor';

/** What the service answers for an error, and whether (and what) it logs. */
export interface ErrorResponse {
  status: number;
  body: Record<string, unknown>;
  headers: Record<string, string>;
  /** For the service log only (500s): never sent. */
  log?: string;
}

const REASON: Record<number, string> = { 400: 'Bad Request', 404: 'Not Found', 413: 'Payload Too Large', 415: 'Unsupported Media Type' };

/**
 * Translates anything thrown into an answer. Known errors keep their message, which is written for the
 * caller: HttpExceptions (validation, 401/403/404/429…), LedgerRuleViolation (400 with the rule and
 * what to change), InvalidCursor (400). Anything else is a 500 with a generic body and a reference;
 * its text (a driver's "datatype mismatch", "Cannot read properties of undefined") goes to the
 * service log with the same reference, never to the caller.
 */
/** Ledger rules that are not about the request's form: a token another eMSP holds, a token not held. */
const RULE_STATUS: Record<string, [number, string]> = { 'token-owned': [409, 'Conflict'], 'token-unknown': [404, 'Not Found'] };

export function errorResponse(error: unknown): ErrorResponse {
  if (error instanceof HttpException) {
    const status = error.getStatus();
    const r = error.getResponse();
    const body = typeof r === 'object' && r !== null ? (r as Record<string, unknown>) : { statusCode: status, message: r };
    const headers: Record<string, string> = error instanceof TooManyFailedAuthentications ? { 'Retry-After': String(error.retryAfterSeconds) } : {};
    return { status, body, headers };
  }
  if (error instanceof LedgerRuleViolation) {
    const [status, reason] = RULE_STATUS[error.rule] ?? [400, 'Bad Request'];
    return { status, body: { statusCode: status, error: reason, rule: error.rule, message: error.message }, headers: {} };
  }
  if (error instanceof LedgerKeyProblem || error instanceof HistoryRewritten) {
    // The ledger cannot sign (no key configured) or refuses to (a signed history no longer holds): the operator's to fix.
    return { status: 503, body: { statusCode: 503, error: 'Service Unavailable', message: error.message }, headers: {} };
  }
  if (error instanceof InvalidCursor) {
    return { status: 400, body: { statusCode: 400, error: 'Bad Request', message: error.message }, headers: {} };
  }
  const status = clientStatus(error);
  if (status !== undefined) {
    return { status, body: { statusCode: status, error: REASON[status] ?? 'Bad Request', message: 'the request could not be read' }, headers: {} };
  }
  const reference = randomUUID();
  const e = error as { name?: unknown; message?: unknown; stack?: unknown } | undefined;
  const detail = typeof e?.stack === 'string' ? e.stack : `${String(e?.name ?? 'Error')}: ${String(e?.message ?? error)}`;
  return {
    status: HttpStatus.INTERNAL_SERVER_ERROR,
    body: { statusCode: 500, error: 'Internal Server Error', message: `the service failed to answer; the operator can find reference ${reference} in its log`, reference },
    headers: {},
    log: `reference ${reference}: ${detail}`,
  };
}

/** A 4xx from Express or a parser (http-errors with `expose`), which says nothing internal. */
function clientStatus(error: unknown): number | undefined {
  const e = error as { status?: unknown; statusCode?: unknown; expose?: unknown } | undefined;
  const status = typeof e?.status === 'number' ? e.status : typeof e?.statusCode === 'number' ? e.statusCode : undefined;
  return status !== undefined && status >= 400 && status < 500 && e?.expose === true ? status : undefined;
}
