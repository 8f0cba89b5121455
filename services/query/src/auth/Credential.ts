import { createHash, timingSafeEqual } from 'node:crypto';

export type Role = 'emsp' | 'auditor' | 'operator';

/** Who is calling: the role, and for an eMSP its id — taken from the credential, never from the request. */
export interface Principal {
  role: Role;
  emspId?: string;
  keyName: string;
}

/**
 * API keys from the environment (never from the repository):
 * `QUERY_API_KEYS="<key>=emsp:DE-EMP-ALPHA;<key>=auditor;<key>=operator"`.
 * Keys are compared as SHA-256 digests in constant time.
 */
export class CredentialStore {
  private readonly entries: { digest: Buffer; principal: Principal }[] = [];

  static fromEnvironment(value = process.env.QUERY_API_KEYS ?? ''): CredentialStore {
    const store = new CredentialStore();
    value
      .split(';')
      .map((s) => s.trim())
      .filter(Boolean)
      .forEach((entry, i) => {
        const eq = entry.lastIndexOf('=');
        const key = entry.slice(0, eq);
        const [role, emspId] = entry.slice(eq + 1).split(':');
        if (eq <= 0 || key.length < 16) throw new Error(`QUERY_API_KEYS entry ${i + 1}: a key of at least 16 characters, then =role`);
        if (role !== 'emsp' && role !== 'auditor' && role !== 'operator') throw new Error(`QUERY_API_KEYS entry ${i + 1}: role "${role}" is not emsp, auditor or operator`);
        if (role === 'emsp' && !emspId) throw new Error(`QUERY_API_KEYS entry ${i + 1}: an eMSP key needs its id, emsp:<id>`);
        store.add(key, { role, emspId: role === 'emsp' ? emspId : undefined, keyName: `key${i + 1}` });
      });
    return store;
  }

  add(key: string, principal: Principal): void {
    this.entries.push({ digest: createHash('sha256').update(key).digest(), principal });
  }

  get size(): number {
    return this.entries.length;
  }

  authenticate(key: string | undefined): Principal | undefined {
    if (!key) return undefined;
    const digest = createHash('sha256').update(key).digest();
    let found: Principal | undefined;
    for (const e of this.entries) if (timingSafeEqual(e.digest, digest)) found = e.principal;
    return found;
  }
}

/** The API key of a request: `Authorization: Bearer <key>`, else the `X-Api-Key` header. */
export function apiKeyOf(headers: Record<string, string | string[] | undefined>): string | undefined {
  const header = String(headers['authorization'] ?? '');
  if (header.startsWith('Bearer ')) return header.slice(7).trim();
  const key = headers['x-api-key'];
  return Array.isArray(key) ? key[0] : key;
}

/** The body of every 401. */
export const UNAUTHORIZED = { statusCode: 401, error: 'Unauthorized', message: 'a valid API key is required (Authorization: Bearer <key>)' };
