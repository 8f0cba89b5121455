import { apiKeyOf } from './apiKeyOf';
import { CredentialConfigError, CredentialStore } from './Credential';

const KEY = 'k3y-0123456789abcdef';

describe('CredentialStore.fromEnvironment', () => {
  it('takes everything after the first colon as the eMSP id (DE:EMP is not cut to DE)', () => {
    const store = CredentialStore.fromEnvironment(`${KEY}=emsp:DE:EMP;auditor-0123456789abcdef=auditor`);
    expect(store.authenticate(KEY)).toMatchObject({ role: 'emsp', emspId: 'DE:EMP' });
    expect(store.authenticate('auditor-0123456789abcdef')).toMatchObject({ role: 'auditor', emspId: undefined });
  });

  it('accepts a key that itself holds "=" (base64)', () => {
    const store = CredentialStore.fromEnvironment('YWJjZGVmZ2hpamtsbW5vcA===emsp:DE-EMP-ALPHA');
    expect(store.authenticate('YWJjZGVmZ2hpamtsbW5vcA==')).toMatchObject({ emspId: 'DE-EMP-ALPHA' });
  });

  it.each([
    [`${KEY}=emsp:DE EMP`, /entry 1: an eMSP id is 1-64 characters/],
    [`${KEY}=emsp:${'x'.repeat(65)}`, /entry 1: an eMSP id is 1-64/],
    [`${KEY}=emsp:`, /entry 1: an eMSP key needs its id/],
    [`${KEY}=emsp`, /entry 1: an eMSP key needs its id/],
    [`ok-key-0123456789abcd=auditor;${KEY}=admin`, /entry 2: the role is not emsp, auditor or operator/],
    [`${KEY}=auditor:DE`, /entry 1: the role auditor takes no id/],
    ['tiny=auditor', /entry 1: the key is shorter than 16/],
    [`${KEY}`, /entry 1: no "="/],
    [`${KEY}=auditor;${KEY}=operator`, /entry 2: the same key as entry 1/],
  ])('refuses %j saying which entry, never printing the key', (value, message) => {
    let error: unknown;
    try {
      CredentialStore.fromEnvironment(value);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CredentialConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain(KEY);
    expect((error as Error).message).not.toContain('tiny');
  });
});

describe('apiKeyOf', () => {
  it.each(['Bearer', 'bearer', 'BEARER', 'bEaReR'])('reads the key after the %s scheme', (scheme) => {
    expect(apiKeyOf({ authorization: `${scheme} ${KEY}` })).toBe(KEY);
  });

  it('reads X-Api-Key, and nothing from another scheme', () => {
    expect(apiKeyOf({ 'x-api-key': KEY })).toBe(KEY);
    expect(apiKeyOf({ authorization: `Basic ${KEY}` })).toBeUndefined();
    expect(apiKeyOf({})).toBeUndefined();
  });
});
