import type { Decider } from './Decider';
import type { TokenRegistered, TokenRegistrant, TokenWithdrawn } from './LedgerEvent';
import { LedgerRuleViolation, quoteBounded } from './LedgerRuleViolation';

/** OCPI 2.2.1 TokenType. */
export const TOKEN_TYPES = ['AD_HOC_USER', 'APP_USER', 'OTHER', 'RFID'] as const;
/** OCPI 2.2.1: `uid` and `contract_id` are at most 36 characters. */
export const MAX_TOKEN_CHARS = 36;
/** The eMSP ids of QUERY_API_KEYS (`emsp:<id>`): 1-64 letters, digits, `-`, `_`, `:`. */
export const TOKEN_EMSP_ID = /^[A-Za-z0-9_:-]{1,64}$/;
/** Printable ASCII without space: what RFID uids, EMAIDs and OCPI uids are written with. */
const TOKEN_TEXT = /^[\x21-\x7e]+$/;

export type RegisterToken = { action: 'register' } & Omit<TokenRegistered['data'], 'registeredAt'> & { at: string };
/** `tokenType`: withdraw the uid only while it is registered with that type (OCPI names a token by uid and type). */
export type WithdrawToken = { action: 'withdraw'; uid: string; tokenType?: string; by: TokenRegistrant; at: string };
export type TokenCommand = RegisterToken | WithdrawToken;
export type TokenEvent = TokenRegistered | TokenWithdrawn;

/** The registry's tokens by key (`tokenKey`): the current registration of each, none once withdrawn. */
export interface TokenRegistryState {
  readonly tokens: Map<string, TokenRegistered['data']>;
}

/** OCPP idTags and idTokens are case-insensitive (CiString): one token, however its letters are cased. */
export function tokenKey(uid: string): string {
  return uid.toUpperCase();
}

function assertToken(field: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_TOKEN_CHARS || !TOKEN_TEXT.test(value)) {
    throw new LedgerRuleViolation('token', `${field} is 1-${MAX_TOKEN_CHARS} printable characters without spaces (OCPI 2.2.1); got ${quoteBounded(value)}`);
  }
}

const emspOf = (by: TokenRegistrant) => (by === 'operator' ? undefined : by.slice('emsp:'.length));

/**
 * The token registry (the OCPI Tokens module is the model): the operator registers tokens for any
 * eMSP, an eMSP registers and withdraws only its own. An eMSP cannot take a token another eMSP holds
 * (the operator can: it settles disputes); withdrawing a token one does not hold is refused as
 * unknown, whoever else holds it, and so is withdrawing it under a type it is not registered with
 * (the same uid under another type stays). The same registration again adds nothing.
 */
export const tokenRegistry: Decider<TokenCommand, TokenEvent, TokenRegistryState> = {
  initialState: () => ({ tokens: new Map() }),
  evolve(state, event) {
    if (event.type === 'TokenRegistered') state.tokens.set(tokenKey(event.data.uid), event.data);
    else state.tokens.delete(tokenKey(event.data.uid));
    return state;
  },
  decide(command, state) {
    assertToken('uid', command.uid);
    const caller = emspOf(command.action === 'withdraw' ? command.by : command.registeredBy);
    const current = state.tokens.get(tokenKey(command.uid));
    if (command.action === 'withdraw') {
      if (!current || (caller !== undefined && current.emspId !== caller)) throw new LedgerRuleViolation('token-unknown', `no token ${quoteBounded(command.uid)} is registered${caller ? ` to ${caller}` : ''}`);
      if (command.tokenType !== undefined && current.tokenType !== command.tokenType) {
        throw new LedgerRuleViolation('token-unknown', `the token ${quoteBounded(command.uid)} is registered with type ${current.tokenType}, not ${quoteBounded(command.tokenType)}: that one is not withdrawn`);
      }
      return [{ type: 'TokenWithdrawn', data: { uid: current.uid, emspId: current.emspId, withdrawnBy: command.by, withdrawnAt: command.at } }];
    }
    if (!(TOKEN_TYPES as readonly string[]).includes(command.tokenType)) throw new LedgerRuleViolation('token-type', `type is one of ${TOKEN_TYPES.join(', ')} (OCPI 2.2.1 TokenType); got ${quoteBounded(command.tokenType)}`);
    if (command.contractId !== undefined) assertToken('contractId', command.contractId);
    if (!TOKEN_EMSP_ID.test(command.emspId)) throw new LedgerRuleViolation('emsp-id', `an eMSP id is 1-64 letters, digits, '-', '_' or ':'; got ${quoteBounded(command.emspId)}`);
    if (caller !== undefined && caller !== command.emspId) throw new LedgerRuleViolation('token-party', 'an eMSP registers tokens for itself only');
    if (caller !== undefined && current && current.emspId !== caller) throw new LedgerRuleViolation('token-owned', `the token ${quoteBounded(command.uid)} is registered to another eMSP; the operator can move it`);
    if (current && current.uid === command.uid && current.emspId === command.emspId && current.tokenType === command.tokenType && current.contractId === command.contractId) return [];
    const data: TokenRegistered['data'] = { uid: command.uid, tokenType: command.tokenType, emspId: command.emspId, registeredBy: command.registeredBy, registeredAt: command.at };
    if (command.contractId !== undefined) data.contractId = command.contractId;
    return [{ type: 'TokenRegistered', data }];
  },
};
