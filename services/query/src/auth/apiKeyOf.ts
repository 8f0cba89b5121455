/**
 * The API key of a request: `Authorization: Bearer <key>` (the scheme in any case, RFC 9110 §11.1),
 * else the `X-Api-Key` header. Undefined when neither holds a key.
 */
export function apiKeyOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const auth = headers['authorization'];
  const header = Array.isArray(auth) ? auth[0] : auth;
  const m = /^bearer[ \t]+(\S.*)$/i.exec(header ?? '');
  if (m) return m[1].trim();
  const key = headers['x-api-key'];
  const value = Array.isArray(key) ? key[0] : key;
  return value ? value.trim() : undefined;
}
