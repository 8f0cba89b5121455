import { bindsParty, checkCredentials } from './Credentials';
import { authorizationOf, newCredentialsToken, tokenDigest, tokensOfAuthorization } from './credentialsToken';
import { nextPageLink, readCdrListQuery } from './cdrListQuery';
import { retryDelay } from './retryDelay';
import { checkStationLocation } from './StationLocation';

const good = { token: 'token-b-0123456789', url: 'https://emsp.example/ocpi/versions', roles: [{ role: 'EMSP', party_id: 'emp', country_code: 'de', business_details: { name: 'E' } }] };

describe('Credentials object (OCPI 2.2.1)', () => {
  it('takes a valid object and binds its eMSP role case-insensitively (CiString)', () => {
    const c = checkCredentials(good);
    expect(c.ok).toBe(true);
    expect(c.ok && bindsParty(c.credentials, 'DE', 'EMP')).toBe(true);
    expect(c.ok && bindsParty(c.credentials, 'NL', 'EMP')).toBe(false);
    const cpoOnly = checkCredentials({ ...good, roles: [{ ...good.roles[0], role: 'CPO' }] });
    expect(cpoOnly.ok && bindsParty(cpoOnly.credentials, 'DE', 'EMP')).toBe(false);
  });

  it('names every problem of a malformed object', () => {
    const c = checkCredentials({ token: 'é', url: 'ftp://x', roles: [{ role: 'KING', party_id: 'EMPX', country_code: 'DEU' }] });
    expect(c.ok).toBe(false);
    expect(!c.ok && c.problems.join('\n')).toMatch(/token[\s\S]*url[\s\S]*role[\s\S]*party_id[\s\S]*country_code[\s\S]*business_details/);
    expect(checkCredentials([])).toEqual({ ok: false, problems: ['the body is not a Credentials object'] });
    expect(checkCredentials({ ...good, roles: [] }).ok).toBe(false);
  });
});

describe('credentials tokens', () => {
  it('reads the 2.2.1 base64 form and the 2.2 plain form of the Token header, nothing else', () => {
    const t = newCredentialsToken();
    expect(tokensOfAuthorization(authorizationOf(t))[0]).toBe(t);
    expect(tokensOfAuthorization(`Token ${t}`)).toContain(t);
    expect(tokensOfAuthorization(`Bearer ${t}`)).toEqual([]);
    expect(tokensOfAuthorization(undefined)).toEqual([]);
    expect(tokenDigest(t)).toMatch(/^[0-9a-f]{64}$/);
    expect(newCredentialsToken()).not.toBe(t);
  });
});

describe('CDR list parameters', () => {
  it('defaults, caps the limit at 100, and links the next page with the same filters', () => {
    expect(readCdrListQuery({})).toEqual({ offset: 0, limit: 100, dateFrom: undefined, dateTo: undefined });
    const q = readCdrListQuery({ offset: '10', limit: '1000', date_from: '2026-01-01T00:00:00Z', date_to: '2026-02-01T00:00:00' });
    expect(q).toEqual({ offset: 10, limit: 100, dateFrom: '2026-01-01T00:00:00.000Z', dateTo: '2026-02-01T00:00:00.000Z' });
    expect(nextPageLink('http://c/ocpi/cpo/2.2.1/cdrs', q, 100, 300)).toBe('<http://c/ocpi/cpo/2.2.1/cdrs?date_from=2026-01-01T00%3A00%3A00.000Z&date_to=2026-02-01T00%3A00%3A00.000Z&offset=110&limit=100>; rel="next"');
    expect(nextPageLink('http://c/x', q, 5, 15)).toBeUndefined();
  });

  it('refuses what OCPI does not define, naming each problem (status 2001)', () => {
    expect(() => readCdrListQuery({ offset: '-1', date_to: '2026-02-30T00:00:00Z', page: '2' })).toThrow(/page[\s\S]*offset[\s\S]*date_to/);
    expect(() => readCdrListQuery({ date_from: '2026-01-01' })).toThrow(/date_from/);
  });
});

describe('retry back-off', () => {
  it('doubles from the minimum and stops at the maximum', () => {
    expect([1, 2, 3, 4, 50].map((a) => retryDelay(a, 1000, 5000))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });
});

describe('station location', () => {
  it('takes what CdrLocation needs and refuses the rest with reasons', () => {
    const ok = { locationId: 'L1', address: 'a', city: 'c', country: 'DEU', latitude: '50.93770', longitude: '6.95742', evseIdPrefix: 'DE*CPO*E1', connectorStandard: 'IEC_62196_T2', connectorFormat: 'SOCKET', powerType: 'AC_3_PHASE' };
    expect(checkStationLocation(ok).ok).toBe(true);
    const bad = checkStationLocation({ ...ok, country: 'DE', latitude: 50.9, connectorFormat: 'PLUG', extra: 1 });
    expect(!bad.ok && bad.problems.join('\n')).toMatch(/extra[\s\S]*country[\s\S]*latitude[\s\S]*connectorFormat/);
  });
});
