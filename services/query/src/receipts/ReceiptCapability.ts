import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/** What a receipt link grants: one session of one eMSP, until a time. */
export interface ReceiptGrant {
  streamId: string;
  counter: string;
  emspId: string;
  /** Seconds since the epoch. */
  expires: number;
}

export type ReceiptGrantRead = { ok: true; grant: ReceiptGrant } | { ok: false; reason: 'unknown' | 'expired' };

/**
 * Capability URLs for receipts (duties 3 and 5): the link itself is the permission, so the eMSP can
 * hand it to its customer. The token is the grant and its HMAC-SHA256 under the service's receipt
 * key; nothing is stored, a link cannot be altered to name another session or a later expiry, and it
 * stops working at its expiry (or when the key changes).
 */
export class ReceiptCapability {
  private readonly key: Buffer;

  constructor(key?: string) {
    this.key = key ? Buffer.from(key, 'utf8') : randomBytes(32);
  }

  issue(grant: ReceiptGrant): string {
    const body = Buffer.from(JSON.stringify([grant.streamId, grant.counter, grant.emspId, grant.expires])).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  read(token: string, nowSeconds: number): ReceiptGrantRead {
    const m = /^([A-Za-z0-9_-]{1,1500})\.([A-Za-z0-9_-]{43})$/.exec(token);
    if (!m) return { ok: false, reason: 'unknown' };
    const expected = Buffer.from(this.mac(m[1]));
    if (!timingSafeEqual(expected, Buffer.from(m[2]))) return { ok: false, reason: 'unknown' };
    const [streamId, counter, emspId, expires] = JSON.parse(Buffer.from(m[1], 'base64url').toString('utf8')) as [string, string, string, number];
    if (expires <= nowSeconds) return { ok: false, reason: 'expired' };
    return { ok: true, grant: { streamId, counter, emspId, expires } };
  }

  private mac(body: string): string {
    return createHmac('sha256', this.key).update(body).digest('base64url');
  }
}
