import { deciderSpecification } from '../testing/deciderSpecification';
import type { TokenRegistered } from './LedgerEvent';
import { tokenRegistry, type RegisterToken } from './tokenRegistry';

const given = deciderSpecification(tokenRegistry);
const byAlpha: RegisterToken = { action: 'register', uid: '04A1B2C3', tokenType: 'RFID', emspId: 'DE-ALP', registeredBy: 'emsp:DE-ALP', at: 't1' };
const registered: TokenRegistered = { type: 'TokenRegistered', data: { uid: '04A1B2C3', tokenType: 'RFID', emspId: 'DE-ALP', registeredBy: 'emsp:DE-ALP', registeredAt: 't1' } };

describe('token registry decider', () => {
  it('registers an eMSP its own token', () => given([]).when(byAlpha).then([registered]));
  it('adds nothing for the same registration again', () => given([registered]).when({ ...byAlpha, at: 't2' }).thenNothingHappened());
  it('refuses an eMSP registering a token for another eMSP', () => given([]).when({ ...byAlpha, emspId: 'DE-BET' }).thenThrows('token-party'));
  it('refuses an eMSP taking a token another eMSP holds (uids compared without case)', () =>
    given([registered]).when({ ...byAlpha, uid: '04a1b2c3', emspId: 'DE-BET', registeredBy: 'emsp:DE-BET' }).thenThrows('token-owned'));
  it('lets the operator register for any eMSP, and move a token', () =>
    given([registered])
      .when({ ...byAlpha, emspId: 'DE-BET', registeredBy: 'operator', contractId: 'DE-BET-C12345678-X' })
      .then([{ type: 'TokenRegistered', data: { uid: '04A1B2C3', tokenType: 'RFID', emspId: 'DE-BET', contractId: 'DE-BET-C12345678-X', registeredBy: 'operator', registeredAt: 't1' } }]));
  it('withdraws an own token', () =>
    given([registered]).when({ action: 'withdraw', uid: '04a1b2c3', by: 'emsp:DE-ALP', at: 't3' }).then([{ type: 'TokenWithdrawn', data: { uid: '04A1B2C3', emspId: 'DE-ALP', withdrawnBy: 'emsp:DE-ALP', withdrawnAt: 't3' } }]));
  it('withdraws a uid under its registered type only: another type is unknown and the registration stays', () => {
    given([registered]).when({ action: 'withdraw', uid: '04A1B2C3', tokenType: 'APP_USER', by: 'emsp:DE-ALP', at: 't3' }).thenThrows('token-unknown');
    given([registered]).when({ action: 'withdraw', uid: '04A1B2C3', tokenType: registered.data.tokenType, by: 'emsp:DE-ALP', at: 't3' }).then([{ type: 'TokenWithdrawn', data: { uid: '04A1B2C3', emspId: 'DE-ALP', withdrawnBy: 'emsp:DE-ALP', withdrawnAt: 't3' } }]);
  });
  it("refuses withdrawing another eMSP's token as unknown", () => given([registered]).when({ action: 'withdraw', uid: '04A1B2C3', by: 'emsp:DE-BET', at: 't3' }).thenThrows('token-unknown'));
  it('lets an eMSP register a token withdrawn by another', () =>
    given([registered, { type: 'TokenWithdrawn', data: { uid: '04A1B2C3', emspId: 'DE-ALP', withdrawnBy: 'operator', withdrawnAt: 't2' } }])
      .when({ ...byAlpha, emspId: 'DE-BET', registeredBy: 'emsp:DE-BET' })
      .then([{ type: 'TokenRegistered', data: { ...registered.data, emspId: 'DE-BET', registeredBy: 'emsp:DE-BET' } }]));
  it('refuses a type outside OCPI 2.2.1 TokenType', () => given([]).when({ ...byAlpha, tokenType: 'CARD' }).thenThrows('token-type'));
  it('refuses a uid over 36 characters or with spaces', () => {
    given([]).when({ ...byAlpha, uid: 'x'.repeat(37) }).thenThrows('token');
    given([]).when({ ...byAlpha, uid: 'a b' }).thenThrows('token');
  });
});
