import { checkToken, patchToken, tokenTypeParameter } from './OcpiToken';

// The PUT example of mod_tokens.asciidoc (examples/token_put_example.json, OCPI 2.2.1).
const example = { country_code: 'NL', party_id: 'TNM', uid: '012345678', type: 'RFID', contract_id: 'NL8ACC12E46L89', visual_number: 'DF000-2001-8999-1', issuer: 'TheNewMotion', group_id: 'DF000-2001-8999', valid: true, whitelist: 'ALWAYS', last_updated: '2015-06-29T22:39:09Z' };
const at = { countryCode: 'NL', partyId: 'TNM', uid: '012345678', type: 'RFID' };

describe('checkToken', () => {
  it('takes the specification example, with last_updated in UTC and unknown fields dropped', () => {
    const r = checkToken({ ...example, not_ocpi: 1, language: null }, at);
    expect(r).toEqual({ ok: true, token: { ...example, last_updated: '2015-06-29T22:39:09.000Z' } });
  });

  it.each([
    ['a text', 'x', 'not a Token object'],
    ['uid with a space', { ...example, uid: '0123 45678' }, 'uid must be'],
    ['uid of 37 characters', { ...example, uid: 'X'.repeat(37) }, 'uid must be'],
    ['another uid than the URL', { ...example, uid: '999' }, 'is not the token_uid'],
    ['another party than the URL', { ...example, party_id: 'ABC' }, 'is not the "TNM" of the URL'],
    ['a type OCPI does not have', { ...example, type: 'CARD' }, 'type must be one of'],
    ['no contract_id', { ...example, contract_id: undefined }, 'contract_id must be'],
    ['no issuer', { ...example, issuer: '' }, 'issuer must be'],
    ['valid as text', { ...example, valid: 'true' }, 'valid must be true or false'],
    ['an unknown whitelist', { ...example, whitelist: 'SOMETIMES' }, 'whitelist must be one of'],
    ['a date that does not exist', { ...example, last_updated: '2015-02-30T10:00:00Z' }, 'last_updated must be'],
    ['an energy contract without supplier', { ...example, energy_contract: { contract_id: 'x' } }, 'energy_contract must be'],
    ['a 3-letter language', { ...example, language: 'deu' }, 'language must be'],
  ])('refuses %s, naming the problem', (_, body, problem) => {
    const r = checkToken(body, at);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems.join('; ')).toContain(problem);
  });

  it('compares the URL and the object without letter case (CiString) and keeps the country code and party id in capitals', () => {
    expect(checkToken({ ...example, country_code: 'nl', uid: '012345678' }, { ...at, partyId: 'tnm' })).toMatchObject({ ok: true, token: { country_code: 'NL', party_id: 'TNM' } });
  });
});

describe('patchToken', () => {
  const held = (checkToken(example, at) as { ok: true; token: never }).token;

  it('changes the fields given (the invalidation example of mod_tokens) and keeps the others', () => {
    expect(patchToken(held, { valid: false, last_updated: '2019-06-19T02:11:11Z' }, at)).toEqual({ ok: true, token: { ...example, valid: false, last_updated: '2019-06-19T02:11:11.000Z' } });
  });

  it('refuses a patch without last_updated, or one that moves the token to another uid', () => {
    expect(patchToken(held, { valid: false }, at)).toEqual({ ok: false, problems: ['a PATCH must hold last_updated'] });
    expect(patchToken(held, { uid: 'other', last_updated: '2019-06-19T02:11:11Z' }, at).ok).toBe(false);
  });
});

it('reads the type parameter: RFID when omitted, a TokenType, nothing else', () => {
  expect(tokenTypeParameter(undefined)).toBe('RFID');
  expect(tokenTypeParameter('APP_USER')).toBe('APP_USER');
  expect(tokenTypeParameter('rfid')).toBeUndefined();
  expect(tokenTypeParameter(['RFID', 'OTHER'])).toBeUndefined();
});
