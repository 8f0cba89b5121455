import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/**
 * A station password stored salted and hashed with scrypt:
 * `scrypt$<N>$<r>$<p>$<salt, base64>$<hash, base64>`. The parameters travel with the hash, so they can
 * be raised for new entries without invalidating old ones.
 */
export interface ScryptParameters {
  N: number;
  r: number;
  p: number;
}

/** N = 2^14, r = 8, p = 1: ≈ 16 MiB and tens of milliseconds per check. Station passwords are random
 * keys (OCPP: 16–40 characters), not words a person chose, so this is ample. */
export const DEFAULT_SCRYPT: ScryptParameters = { N: 16384, r: 8, p: 1 };

const KEY_BYTES = 32;
const SALT_BYTES = 16;
/** Bounds on what a stations file may ask for, so a bad entry cannot exhaust memory or CPU. */
const MAX_N = 1 << 20;
const MAX_R = 32;
const MAX_P = 16;

export class PasswordHash {
  private constructor(
    readonly params: ScryptParameters,
    private readonly salt: Buffer,
    private readonly hash: Buffer,
  ) {}

  /** Reads an encoded hash; returns the problem (a sentence) when it is not one. */
  static parse(encoded: string): PasswordHash | string {
    const parts = encoded.split('$');
    if (parts.length !== 6 || parts[0] !== 'scrypt') return 'a password hash reads scrypt$<N>$<r>$<p>$<salt>$<hash> (written by `hash-password` or `add-station`)';
    const [N, r, p] = parts.slice(1, 4).map((s) => (/^[0-9]{1,8}$/.test(s) ? Number(s) : NaN));
    if (!(N >= 2 && N <= MAX_N && (N & (N - 1)) === 0)) return `scrypt N must be a power of two from 2 to ${MAX_N}`;
    if (!(r >= 1 && r <= MAX_R)) return `scrypt r must be 1 to ${MAX_R}`;
    if (!(p >= 1 && p <= MAX_P)) return `scrypt p must be 1 to ${MAX_P}`;
    const salt = Buffer.from(parts[4], 'base64');
    const hash = Buffer.from(parts[5], 'base64');
    if (salt.length < 8) return 'the salt must be at least 8 bytes (base64)';
    if (hash.length < 16 || hash.length > 64) return 'the hash must be 16 to 64 bytes (base64)';
    return new PasswordHash({ N, r, p }, salt, hash);
  }

  static async create(password: Buffer | string, params: ScryptParameters = DEFAULT_SCRYPT, salt: Buffer = randomBytes(SALT_BYTES)): Promise<PasswordHash> {
    return new PasswordHash(params, salt, await derive(toBuffer(password), salt, params, KEY_BYTES));
  }

  /** Whether `password` is the one hashed here; the comparison takes the same time wherever they differ. */
  async matches(password: Buffer | string): Promise<boolean> {
    const candidate = await derive(toBuffer(password), this.salt, this.params, this.hash.length);
    return timingSafeEqual(candidate, this.hash);
  }

  toString(): string {
    const { N, r, p } = this.params;
    return `scrypt$${N}$${r}$${p}$${this.salt.toString('base64')}$${this.hash.toString('base64')}`;
  }
}

function toBuffer(password: Buffer | string): Buffer {
  return typeof password === 'string' ? Buffer.from(password, 'utf8') : password;
}

function derive(password: Buffer, salt: Buffer, { N, r, p }: ScryptParameters, length: number): Promise<Buffer> {
  const options: ScryptOptions = { N, r, p, maxmem: 256 * N * r + 1024 * 1024 };
  return new Promise((resolve, reject) => scrypt(password, salt, length, options, (err, key) => (err ? reject(err) : resolve(key))));
}
