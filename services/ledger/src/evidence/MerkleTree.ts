import { createHash } from 'node:crypto';

/**
 * The Merkle tree hash of RFC 9162 §2.1.1 (the tree of RFC 6962, restated for Certificate
 * Transparency 2.0), SHA-256 throughout: a leaf hashes as SHA-256(0x00 || data), an inner node as
 * SHA-256(0x01 || left || right), the empty tree as SHA-256(""), and a tree of n > 1 leaves splits at
 * k, the largest power of two smaller than n. Inclusion proofs follow §2.1.3, consistency proofs
 * §2.1.4; both verifiers are the RFC's algorithms (§2.1.3.2, §2.1.4.2). Hashes travel as hex.
 */
const sha256 = (...parts: Buffer[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};

const LEAF = Buffer.from([0x00]);
const NODE = Buffer.from([0x01]);

/** SHA-256(0x00 || data). */
export function leafHash(data: string | Buffer): string {
  return sha256(LEAF, typeof data === 'string' ? Buffer.from(data, 'utf8') : data).toString('hex');
}

/** SHA-256(0x01 || left || right). */
export function nodeHash(left: string, right: string): string {
  return sha256(NODE, Buffer.from(left, 'hex'), Buffer.from(right, 'hex')).toString('hex');
}

/** The largest power of two smaller than n (n > 1). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[n]) over leaf hashes (already hashed with `leafHash`). */
export function treeHead(leaves: readonly string[]): string {
  if (leaves.length === 0) return sha256().toString('hex');
  // Bottom-up, level by level: the same tree as the recursive definition (a left-balanced tree
  // whose odd last node is carried up unchanged), in linear time and without deep recursion.
  let level = [...leaves];
  while (level.length > 1) {
    const next: string[] = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(nodeHash(level[i], level[i + 1]));
    if (level.length % 2 === 1) next.push(level[level.length - 1]);
    level = next;
  }
  return level[0];
}

/** PATH(m, D[n]) of §2.1.3.1: the inclusion proof of leaf m, from the leaf's sibling up. */
export function inclusionProof(index: number, leaves: readonly string[]): string[] {
  if (!Number.isInteger(index) || index < 0 || index >= leaves.length) throw new RangeError(`leaf ${index} is not in a tree of ${leaves.length}`);
  const path = (m: number, lo: number, hi: number): string[] => {
    const n = hi - lo;
    if (n === 1) return [];
    const k = split(n);
    return m < k ? [...path(m, lo, lo + k), treeHead(leaves.slice(lo + k, hi))] : [...path(m - k, lo + k, hi), treeHead(leaves.slice(lo, lo + k))];
  };
  return path(index, 0, leaves.length);
}

/** PROOF(m, D[n]) of §2.1.4.1: that the tree of the first m leaves is a prefix of the tree of n. Empty for m = 0 or m = n. */
export function consistencyProof(m: number, leaves: readonly string[]): string[] {
  const n = leaves.length;
  if (!Number.isInteger(m) || m < 0 || m > n) throw new RangeError(`a tree of ${m} is not a prefix of a tree of ${n}`);
  if (m === 0 || m === n) return [];
  const sub = (m: number, lo: number, hi: number, whole: boolean): string[] => {
    const n = hi - lo;
    if (m === n) return whole ? [] : [treeHead(leaves.slice(lo, hi))];
    const k = split(n);
    return m <= k ? [...sub(m, lo, lo + k, whole), treeHead(leaves.slice(lo + k, hi))] : [...sub(m - k, lo + k, hi, false), treeHead(leaves.slice(lo, lo + k))];
  };
  return sub(m, 0, n, true);
}

const isHash = (h: unknown): h is string => typeof h === 'string' && /^[0-9a-f]{64}$/.test(h);

/** One right shift of both node indexes. */
function halve(w: { fn: number; sn: number }): void {
  w.fn = Math.floor(w.fn / 2);
  w.sn = Math.floor(w.sn / 2);
}

/**
 * One proof element of the RFC's verification loops (§2.1.3.2 step 5, §2.1.4.2 step 6): whether the
 * element is the left sibling ("LSB(fn) is set, or fn is equal to sn"), after which the indexes are
 * shifted as the RFC says (first "until either LSB(fn) is set or fn is 0" on that branch, then once).
 */
function step(w: { fn: number; sn: number }): boolean {
  const left = w.fn % 2 === 1 || w.fn === w.sn;
  if (left) while (w.fn % 2 === 0 && w.fn !== 0) halve(w);
  halve(w);
  return left;
}

/** §2.1.3.2: does `proof` take leaf `index` (hash `leaf`) of a tree of `size` to `root`? */
export function verifyInclusion(leaf: string, index: number, size: number, proof: readonly string[], root: string): boolean {
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || index < 0 || index >= size) return false;
  if (!isHash(leaf) || !isHash(root) || !proof.every(isHash)) return false;
  const walk = { fn: index, sn: size - 1 };
  let r = leaf;
  for (const p of proof) {
    if (walk.sn === 0) return false;
    if (step(walk)) r = nodeHash(p, r);
    else r = nodeHash(r, p);
  }
  return walk.sn === 0 && r === root;
}

/**
 * §2.1.4.2: does `proof` show that the tree of `first` leaves with head `firstRoot` is a prefix of
 * the tree of `second` leaves with head `secondRoot`? The RFC leaves the trivial cases to the caller:
 * here an empty first tree is a prefix of every tree (its head must be the empty-tree hash), and equal
 * sizes need an empty proof and equal heads.
 */
export function verifyConsistency(first: number, second: number, firstRoot: string, secondRoot: string, proof: readonly string[]): boolean {
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(second) || first < 0 || first > second) return false;
  if (!isHash(firstRoot) || !isHash(secondRoot) || !proof.every(isHash)) return false;
  if (first === 0) return proof.length === 0 && firstRoot === treeHead([]);
  if (first === second) return proof.length === 0 && firstRoot === secondRoot;
  if (proof.length === 0) return false;
  const path = (first & (first - 1)) === 0 ? [firstRoot, ...proof] : [...proof];
  const walk = { fn: first - 1, sn: second - 1 };
  while (walk.fn % 2 === 1) halve(walk);
  let fr = path[0];
  let sr = path[0];
  for (const c of path.slice(1)) {
    if (walk.sn === 0) return false;
    if (step(walk)) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
    } else {
      sr = nodeHash(sr, c);
    }
  }
  return fr === firstRoot && sr === secondRoot && walk.sn === 0;
}
