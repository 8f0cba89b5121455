import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';

const PREFIX = 'sealed1:';

/** A stored token B that cannot be opened (sealed, and no or another key). */
export class SealedTokenUnreadable extends Error {
  override readonly name = 'SealedTokenUnreadable';
}

/**
 * Token B (what we send to an eMSP) must be kept usable, so it cannot be hashed; with a key
 * (OCPI_TOKEN_KEY) it is stored sealed with AES-256-GCM (random IV, authenticated), so a copy of the
 * store alone does not give it away. Without a key it is stored as given (the service warns at start).
 */
export class TokenSealer {
  private readonly key: Buffer | undefined;

  constructor(keyText?: string) {
    this.key = keyText ? createHash('sha256').update(keyText, 'utf8').digest() : undefined;
  }

  get sealing(): boolean {
    return this.key !== undefined;
  }

  seal(token: string): string {
    if (!this.key) return token;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    const body = Buffer.concat([cipher.update(token, 'utf8'), cipher.final()]);
    return PREFIX + Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64url');
  }

  open(stored: string): string {
    if (!stored.startsWith(PREFIX)) return stored;
    if (!this.key) throw new SealedTokenUnreadable('the eMSP token is stored sealed and OCPI_TOKEN_KEY is not set');
    const raw = Buffer.from(stored.slice(PREFIX.length), 'base64url');
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
      decipher.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    } catch {
      throw new SealedTokenUnreadable('the eMSP token cannot be opened with OCPI_TOKEN_KEY (another key sealed it)');
    }
  }
}
