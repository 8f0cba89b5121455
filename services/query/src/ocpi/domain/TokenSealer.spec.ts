import { SealedTokenUnreadable, TokenSealer } from './TokenSealer';

describe('TokenSealer', () => {
  it('given a key, seals token B so the stored text does not hold it, and opens it again', () => {
    const s = new TokenSealer('k'.repeat(40));
    const sealed = s.seal('token-b-secret-0123');
    expect(sealed).not.toContain('token-b-secret');
    expect(sealed).not.toBe(s.seal('token-b-secret-0123'));
    expect(s.open(sealed)).toBe('token-b-secret-0123');
  });

  it('refuses to open with another key or none, and passes a token stored as given', () => {
    const sealed = new TokenSealer('k'.repeat(40)).seal('token-b');
    expect(() => new TokenSealer('x'.repeat(40)).open(sealed)).toThrow(SealedTokenUnreadable);
    expect(() => new TokenSealer().open(sealed)).toThrow(/OCPI_TOKEN_KEY is not set/);
    expect(new TokenSealer().seal('plain')).toBe('plain');
    expect(new TokenSealer('k'.repeat(40)).open('plain')).toBe('plain');
  });
});
