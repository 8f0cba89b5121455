const HASH_BYTES = 32;
/** Counters per block: a block is allocated whole, so a lone counter costs a block, a run of counters 32 bytes each. */
const BLOCK = 16n;
const SHA256_HEX = /^[0-9a-f]{64}$/;
const ZERO_HEX = '0'.repeat(64);

/**
 * The payload hashes held under each counter of a dataset stream, in the order they were recorded.
 * The first hash of a counter, when it is SHA-256 in lower-case hex (what ingest computes), is kept as
 * 32 bytes in a block of 16 neighbouring counters; the rest (a conflict's other hashes, or a hash in
 * another form) stay as text beside them. Memory follows the counters held, about 32 bytes each when
 * they come in runs; lookups are one Map access, whatever the counter's value.
 */
export class CounterHashes {
  private readonly blocks = new Map<bigint, Buffer>();
  private readonly others = new Map<bigint, string[]>();
  private counters = 0;

  /** How many counters hold a hash. */
  get size(): number {
    return this.counters;
  }

  /** The hashes held under the counter, first recorded first (empty when none). */
  get(counter: bigint): string[] {
    const packed = this.packed(counter);
    const others = this.others.get(counter) ?? [];
    return packed === undefined ? [...others] : [packed, ...others];
  }

  /** Adds a hash under the counter unless it is already held there. */
  add(counter: bigint, hash: string): void {
    const held = this.get(counter);
    if (held.includes(hash)) return;
    if (held.length === 0) {
      this.counters++;
      if (SHA256_HEX.test(hash) && hash !== ZERO_HEX) {
        const block = counter / BLOCK;
        let b = this.blocks.get(block);
        if (!b) this.blocks.set(block, (b = Buffer.alloc(Number(BLOCK) * HASH_BYTES)));
        b.write(hash, Number(counter % BLOCK) * HASH_BYTES, HASH_BYTES, 'hex');
        return;
      }
    }
    const others = this.others.get(counter);
    if (others) others.push(hash);
    else this.others.set(counter, [hash]);
  }

  private packed(counter: bigint): string | undefined {
    const b = this.blocks.get(counter / BLOCK);
    if (!b) return undefined;
    const at = Number(counter % BLOCK) * HASH_BYTES;
    const hex = b.toString('hex', at, at + HASH_BYTES);
    return hex === ZERO_HEX ? undefined : hex;
  }
}
