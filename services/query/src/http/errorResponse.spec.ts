import { BadRequestException, UnauthorizedException } from '@nestjs/common';
import { LedgerRuleViolation } from '@metrology-ledger/ledger';
import { TooManyFailedAuthentications } from '../auth/TooManyFailedAuthentications';
import { InvalidCursor } from '../paging/InvalidCursor';
import { errorResponse } from './errorResponse';

describe('errorResponse', () => {
  it('answers a LedgerRuleViolation 400 with its rule and message', () => {
    const r = errorResponse(new LedgerRuleViolation('commissioning-order', 'decommissionedAt lies before commissionedAt'));
    expect(r).toMatchObject({ status: 400, body: { rule: 'commissioning-order', message: 'decommissionedAt lies before commissionedAt' } });
    expect(r.log).toBeUndefined();
  });

  it('answers an InvalidCursor 400 and keeps HttpExceptions as they are', () => {
    expect(errorResponse(new InvalidCursor())).toMatchObject({ status: 400, body: { message: expect.stringMatching(/nextCursor/) } });
    expect(errorResponse(new BadRequestException('limit must not be greater than 500'))).toMatchObject({ status: 400, body: { message: 'limit must not be greater than 500' } });
    expect(errorResponse(new UnauthorizedException({ statusCode: 401, message: 'key' })).status).toBe(401);
  });

  it('sends Retry-After with a 429', () => {
    expect(errorResponse(new TooManyFailedAuthentications(42))).toMatchObject({ status: 429, headers: { 'Retry-After': '42' } });
  });

  it.each([new TypeError("Cannot read properties of undefined (reading 'x')"), Object.assign(new Error('datatype mismatch'), { code: 'SQLITE_MISMATCH' }), new RangeError('Invalid time value'), 'a string'])(
    'never sends internal text (%s): 500 with a reference, the text only in the log',
    (error) => {
      const r = errorResponse(error);
      expect(r.status).toBe(500);
      const body = JSON.stringify(r.body);
      expect(body).not.toMatch(/Cannot read|datatype|Invalid time|a string/);
      expect(r.log).toContain(String(r.body.reference));
      expect(r.log).toContain(error instanceof Error ? error.message : error);
    },
  );

  it('keeps the status of a parser error that is the client\'s, with a generic message', () => {
    const tooLarge = Object.assign(new Error('request entity too large'), { status: 413, statusCode: 413, expose: true, type: 'entity.too.large' });
    expect(errorResponse(tooLarge)).toMatchObject({ status: 413, body: { message: 'the request could not be read' } });
    expect(errorResponse(Object.assign(new Error('boom'), { status: 503, expose: false })).status).toBe(500);
  });
});
