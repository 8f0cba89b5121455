import * as crypto from 'node:crypto';
import { DEFAULT_SCRYPT, PasswordHash } from './PasswordHash';

jest.mock('node:crypto', () => {
  const actual = jest.requireActual<typeof import('node:crypto')>('node:crypto');
  return { ...actual, timingSafeEqual: jest.fn(actual.timingSafeEqual) };
});

const CHEAP = { N: 1024, r: 8, p: 1 };

describe('PasswordHash', () => {
  it('verifies the password it was made from, and no other', async () => {
    const h = await PasswordHash.create('0123456789abcdef0123', CHEAP);
    expect(await h.matches('0123456789abcdef0123')).toBe(true);
    expect(await h.matches(Buffer.from('0123456789abcdef0123'))).toBe(true);
    expect(await h.matches('0123456789abcdef0124')).toBe(false);
    expect(await h.matches('')).toBe(false);
  });

  it('is salted: the same password hashes differently each time, and both verify', async () => {
    const a = await PasswordHash.create('same-password-123', CHEAP);
    const b = await PasswordHash.create('same-password-123', CHEAP);
    expect(a.toString()).not.toBe(b.toString());
    expect(await a.matches('same-password-123')).toBe(true);
    expect(await b.matches('same-password-123')).toBe(true);
  });

  it('writes scrypt$N$r$p$salt$hash and reads it back; the default is N=2^14, r=8, p=1', async () => {
    const h = await PasswordHash.create('pw-0123456789abcdef');
    expect(h.params).toEqual(DEFAULT_SCRYPT);
    expect(h.toString()).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    const parsed = PasswordHash.parse(h.toString());
    expect(parsed).toBeInstanceOf(PasswordHash);
    expect(await (parsed as PasswordHash).matches('pw-0123456789abcdef')).toBe(true);
  });

  it('matches an independent scrypt computation (RFC 7914 parameters as encoded)', async () => {
    const salt = Buffer.from('c2FsdHNhbHRzYWx0c2FsdA==', 'base64');
    const expected = crypto.scryptSync('station-secret', salt, 32, { N: 1024, r: 8, p: 1 });
    const encoded = `scrypt$1024$8$1$${salt.toString('base64')}$${expected.toString('base64')}`;
    expect((await PasswordHash.create('station-secret', CHEAP, salt)).toString()).toBe(encoded);
  });

  it('compares in constant time (timingSafeEqual over the whole derived key)', async () => {
    const spy = crypto.timingSafeEqual as unknown as jest.Mock;
    spy.mockClear();
    const h = await PasswordHash.create('abcdefghijklmnop', CHEAP);
    expect(await h.matches('zzzzzzzzzzzzzzzz')).toBe(false);
    expect(await h.matches('z')).toBe(false);
    expect(spy).toHaveBeenCalledTimes(2);
    for (const [a, b] of spy.mock.calls) expect([(a as Buffer).length, (b as Buffer).length]).toEqual([32, 32]);
  });

  it.each([
    ['plain', 'a password hash reads'],
    ['bcrypt$10$x$y$z$w', 'a password hash reads'],
    ['scrypt$1000$8$1$c2FsdHNhbHQ=$' + 'A'.repeat(43) + '=', 'scrypt N must be a power of two'],
    ['scrypt$2097152$8$1$c2FsdHNhbHQ=$' + 'A'.repeat(43) + '=', 'scrypt N must be a power of two from 2 to 1048576'],
    ['scrypt$1024$0$1$c2FsdHNhbHQ=$' + 'A'.repeat(43) + '=', 'scrypt r must be'],
    ['scrypt$1024$8$99$c2FsdHNhbHQ=$' + 'A'.repeat(43) + '=', 'scrypt p must be'],
    ['scrypt$1024$8$1$c2FsdA==$' + 'A'.repeat(43) + '=', 'the salt must be at least 8 bytes'],
    ['scrypt$1024$8$1$c2FsdHNhbHQ=$AAAA', 'the hash must be 16 to 64 bytes'],
  ])('refuses %s with a reason', (encoded, reason) => {
    const r = PasswordHash.parse(encoded);
    expect(typeof r).toBe('string');
    expect(r).toContain(reason);
  });
});
