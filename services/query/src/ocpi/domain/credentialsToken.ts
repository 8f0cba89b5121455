import { createHash, randomBytes } from 'node:crypto';

/**
 * OCPI credentials tokens (not the drivers' Tokens module). We issue 43-character base64url tokens
 * (256 random bits; within Credentials.token's 64 ASCII characters) and keep only their SHA-256
 * digests: a token we issued can be checked, never read back.
 */
export function newCredentialsToken(): string {
  return randomBytes(32).toString('base64url');
}

export function tokenDigest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/**
 * The credentials token of an `Authorization: Token <encoded>` header. OCPI 2.2.1 sends the token
 * base64-encoded (UTF-8 octets, RFC 4648); a 2.2 client sends it as is. Both readings are returned,
 * the decoded one first, so the caller can look both up; nothing when the header is not the Token
 * scheme. The header is never logged.
 */
export function tokensOfAuthorization(header: string | string[] | undefined): string[] {
  const value = Array.isArray(header) ? header[0] : header;
  if (typeof value !== 'string') return [];
  const m = /^Token\s+(\S{1,200})\s*$/i.exec(value);
  if (!m) return [];
  const given = m[1];
  const out: string[] = [];
  if (/^[A-Za-z0-9+/]+={0,2}$/.test(given) && given.length % 4 === 0) {
    const decoded = Buffer.from(given, 'base64').toString('utf8');
    if (/^[\x21-\x7e]{1,64}$/.test(decoded) && Buffer.from(decoded, 'utf8').toString('base64') === given) out.push(decoded);
  }
  out.push(given);
  return out;
}

/** The header value OCPI 2.2.1 clients send: `Token <base64 of the token>`. */
export function authorizationOf(token: string): string {
  return `Token ${Buffer.from(token, 'utf8').toString('base64')}`;
}
