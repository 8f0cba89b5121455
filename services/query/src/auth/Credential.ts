import { createHash, timingSafeEqual } from 'node:crypto';

export type Role = 'emsp' | 'auditor' | 'operator';

/** Who is calling: the role, and for an eMSP its id — taken from the credential, never from the request. */
export interface Principal {
  role: Role;
  emspId?: string;
  keyName: string;
}

/**
 * The eMSP-id rule of a key entry (OCPI party ids such as `DE*EMP` are written `DE-EMP` or `DE:EMP`).
 * A session whose token is an EMAID belongs, without registration, to the eMSP id `<country>-<provider>`
 * of the EMAID (`DE-ABC-C12345678-X` → `DE-ABC`, `domain/emaid.ts`): an eMSP takes that id to be found.
 */
export const EMSP_ID_PATTERN = /^[A-Za-z0-9_:-]{1,64}$/;
export const EMSP_ID_RULE = "an eMSP id is 1-64 characters of letters, digits, '-', '_' and ':'";
export const MIN_KEY_LENGTH = 16;

/** A QUERY_API_KEYS entry the service refuses to start with; the message names the entry, never the key. */
export class CredentialConfigError extends Error {
  override readonly name = 'CredentialConfigError';
}

/**
 * API keys from the environment or a mounted secret file (never from the repository):
 * `QUERY_API_KEYS="<key>=emsp:DE-EMP-ALPHA;<key>=auditor;<key>=operator"`. Entries are separated by
 * `;`; the key is everything before the last `=`, the role what follows up to the first `:`, and an
 * eMSP's id everything after that colon (so `emsp:DE:EMP` is the id `DE:EMP`, never cut). An entry that
 * breaks a rule stops the service with a message naming the entry by its position. Keys are compared
 * as SHA-256 digests in constant time.
 */
export class CredentialStore {
  private readonly entries: { digest: Buffer; principal: Principal }[] = [];

  /** Parses the text of QUERY_API_KEYS (QueryConfig reads it, from the environment or QUERY_API_KEYS_FILE). */
  static fromEnvironment(value: string): CredentialStore {
    const store = new CredentialStore();
    const seen = new Map<string, number>();
    value
      .split(';')
      .map((s) => s.trim())
      .forEach((entry, index) => {
        if (entry === '') return;
        const n = index + 1;
        const fail = (why: string) => {
          throw new CredentialConfigError(`QUERY_API_KEYS entry ${n}: ${why} (entries are <key>=emsp:<id>, <key>=auditor or <key>=operator, separated by ';')`);
        };
        const eq = entry.lastIndexOf('=');
        if (eq <= 0) fail('no "=" between key and role');
        const key = entry.slice(0, eq).trim();
        if (key.length < MIN_KEY_LENGTH) fail(`the key is shorter than ${MIN_KEY_LENGTH} characters`);
        const grant = entry.slice(eq + 1).trim();
        const colon = grant.indexOf(':');
        const role = colon < 0 ? grant : grant.slice(0, colon);
        const emspId = colon < 0 ? undefined : grant.slice(colon + 1);
        if (role !== 'emsp' && role !== 'auditor' && role !== 'operator') fail(`the role is not emsp, auditor or operator`);
        if (role === 'emsp' && (emspId === undefined || !EMSP_ID_PATTERN.test(emspId))) fail(emspId ? EMSP_ID_RULE : 'an eMSP key needs its id, emsp:<id>');
        if (role !== 'emsp' && emspId !== undefined) fail(`the role ${role} takes no id after ':'`);
        const digest = createHash('sha256').update(key).digest('hex');
        const earlier = seen.get(digest);
        if (earlier !== undefined) fail(`the same key as entry ${earlier}; every key must name one principal`);
        seen.set(digest, n);
        store.add(key, { role: role as Role, emspId: role === 'emsp' ? emspId : undefined, keyName: `key${n}` });
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

/** The body of every 401. */
export const UNAUTHORIZED = { statusCode: 401, error: 'Unauthorized', message: 'a valid API key is required (Authorization: Bearer <key>)' };
