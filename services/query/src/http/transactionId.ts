import { BadRequestException } from '@nestjs/common';
import { quoteBounded } from '@metrology-ledger/ledger';

/**
 * The one transaction-id rule of every eMSP session endpoint: 1–100 characters, none of them a
 * control character (C0, DEL, C1). OCPP leaves the id to the station (ingest records `tx/slash`,
 * `tx space`, `tx#1`), so anything printable is accepted; the client URL-encodes it as a path segment.
 */
export const TRANSACTION_ID_RULE = '1-100 characters, no control characters (URL-encoded in the path)';

const TRANSACTION_ID = /^[^\u0000-\u001F\u007F-\u009F]{1,100}$/u;

export function isTransactionId(value: unknown): value is string {
  return typeof value === 'string' && TRANSACTION_ID.test(value);
}

export function assertTransactionId(value: string): string {
  if (!isTransactionId(value)) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', rule: 'transaction-id', message: `transactionId: ${TRANSACTION_ID_RULE}; got ${quoteBounded(value)}` });
  return value;
}
