import { createHmac, randomBytes } from 'node:crypto';

const DIGEST_BYTES = 32;
const MIN_SLOTS = 8;
/**
 * The key of this process's message digests. The table places a digest by its first bytes, and message
 * ids are chosen by whoever sends: unkeyed, ids could be ground until their digests crowd one run of
 * slots. Digests are only ever held in memory, so a key per process is enough.
 */
const DIGEST_KEY = randomBytes(32);

/**
 * A set of SHA-256 digests in one flat buffer (open addressing, linear probing): 32 bytes a member
 * and the table's free slots (a quarter to five eighths of it), no object per member. The ledger
 * keeps the messages a stream already holds here, as the keyed digest of (message id, content key):
 * exact as long as SHA-256 has no collision, the assumption the receipts' `messageSha256` and the hash chain
 * already make.
 */
export class DigestSet {
  private table = Buffer.alloc(MIN_SLOTS * DIGEST_BYTES);
  private members = 0;
  /** The all-zero digest cannot mark itself in a table whose empty slots are zero. */
  private hasZero = false;

  /** The digest of a message id and its content key, as this set holds it (HMAC-SHA-256 under this process's key). */
  static ofMessage(messageId: string, contentKey: string): Buffer {
    return createHmac('sha256', DIGEST_KEY).update(`${messageId.length}:${messageId}\n${contentKey}`).digest();
  }

  get size(): number {
    return this.members + (this.hasZero ? 1 : 0);
  }

  private slots(): number {
    return this.table.length / DIGEST_BYTES;
  }

  /** Slot of the digest, or of the empty slot where it would go. */
  private find(digest: Buffer): { slot: number; found: boolean } {
    const mask = this.slots() - 1;
    let slot = digest.readUInt32LE(0) & mask;
    for (;;) {
      const at = slot * DIGEST_BYTES;
      if (isZero(this.table, at)) return { slot, found: false };
      if (digest.equals(this.table.subarray(at, at + DIGEST_BYTES))) return { slot, found: true };
      slot = (slot + 1) & mask;
    }
  }

  has(digest: Buffer): boolean {
    if (digest.length !== DIGEST_BYTES) throw new RangeError(`a digest is ${DIGEST_BYTES} bytes`);
    if (isZero(digest, 0)) return this.hasZero;
    return this.find(digest).found;
  }

  /** Adds the digest; true when it was not held before. */
  add(digest: Buffer): boolean {
    if (digest.length !== DIGEST_BYTES) throw new RangeError(`a digest is ${DIGEST_BYTES} bytes`);
    if (isZero(digest, 0)) {
      const added = !this.hasZero;
      this.hasZero = true;
      return added;
    }
    const { slot, found } = this.find(digest);
    if (found) return false;
    digest.copy(this.table, slot * DIGEST_BYTES);
    this.members++;
    if (this.members * 4 > this.slots() * 3) this.grow();
    return true;
  }

  private grow(): void {
    const old = this.table;
    this.table = Buffer.alloc(old.length * 2);
    for (let at = 0; at < old.length; at += DIGEST_BYTES) {
      if (isZero(old, at)) continue;
      const digest = old.subarray(at, at + DIGEST_BYTES);
      digest.copy(this.table, this.find(digest).slot * DIGEST_BYTES);
    }
  }
}

function isZero(b: Buffer, at: number): boolean {
  for (let i = at; i < at + DIGEST_BYTES; i += 4) if (b.readUInt32LE(i) !== 0) return false;
  return true;
}
