import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { consistencyProof, inclusionProof, leafHash, nodeHash, treeHead, verifyConsistency, verifyInclusion } from './MerkleTree';

/** The recursive definition of RFC 9162 §2.1.1, written independently of the bottom-up `treeHead`. */
function mth(leaves: string[]): string {
  if (leaves.length === 0) return createHash('sha256').digest('hex');
  if (leaves.length === 1) return leaves[0];
  let k = 1;
  while (k * 2 < leaves.length) k *= 2;
  return nodeHash(mth(leaves.slice(0, k)), mth(leaves.slice(k)));
}

const leavesOf = (n: number, salt = 0) => Array.from({ length: n }, (_, i) => leafHash(`leaf ${salt}:${i}`));
const hexFlip = (h: string, at: number) => h.slice(0, at) + (h[at] === '0' ? '1' : '0') + h.slice(at + 1);

describe('RFC 9162 Merkle tree', () => {
  it('hashes as RFC 6962 does (the Certificate Transparency test vectors)', () => {
    expect(treeHead([])).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(leafHash(Buffer.alloc(0))).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    const inputs = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
    const leaves = inputs.map((h) => leafHash(Buffer.from(h, 'hex')));
    expect(treeHead(leaves)).toBe('5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328');
  });

  it('the tree head is the recursive definition for every size', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 300 }), (n) => treeHead(leavesOf(n)) === mth(leavesOf(n))));
  });

  it('every inclusion proof of a random tree verifies; a changed leaf, index, size, root or proof hash fails', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 200 }), fc.nat(), fc.nat(), fc.nat(63), (n, i0, salt, at) => {
        const leaves = leavesOf(n, salt);
        const root = treeHead(leaves);
        const i = i0 % n;
        const proof = inclusionProof(i, leaves);
        expect(verifyInclusion(leaves[i], i, n, proof, root)).toBe(true);
        expect(verifyInclusion(hexFlip(leaves[i], at), i, n, proof, root)).toBe(false);
        expect(verifyInclusion(leaves[i], i, n, proof, hexFlip(root, at))).toBe(false);
        if (n > 1) expect(verifyInclusion(leaves[i], (i + 1) % n, n, proof, root)).toBe(false);
        expect(verifyInclusion(leaves[i], i, n + 1, proof, treeHead([...leaves, leafHash('one more')]))).toBe(false);
        proof.forEach((_, j) => expect(verifyInclusion(leaves[i], i, n, proof.map((p, k) => (k === j ? hexFlip(p, at) : p)), root)).toBe(false));
        if (proof.length > 0) expect(verifyInclusion(leaves[i], i, n, proof.slice(1), root)).toBe(false);
        expect(verifyInclusion(leaves[i], i, n, [...proof, root], root)).toBe(false);
      }),
    );
  });

  it('a consistency proof verifies for every m ≤ n; a changed head, size or proof hash fails', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 130 }), fc.nat(), fc.nat(63), (n, salt, at) => {
        const leaves = leavesOf(n, salt);
        const newRoot = treeHead(leaves);
        for (let m = 0; m <= n; m++) {
          const oldRoot = treeHead(leaves.slice(0, m));
          const proof = consistencyProof(m, leaves);
          expect(verifyConsistency(m, n, oldRoot, newRoot, proof)).toBe(true);
          expect(verifyConsistency(m, n, hexFlip(oldRoot, at), newRoot, proof)).toBe(false);
          if (m > 0) expect(verifyConsistency(m, n, oldRoot, hexFlip(newRoot, at), proof)).toBe(false); // the empty tree is a prefix of any
          if (m > 0 && m < n) {
            expect(verifyConsistency(m, n + 1, oldRoot, treeHead([...leaves, leafHash('one more')]), proof)).toBe(false);
            proof.forEach((_, j) => expect(verifyConsistency(m, n, oldRoot, newRoot, proof.map((p, k) => (k === j ? hexFlip(p, at) : p)))).toBe(false));
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it('a rewritten past breaks consistency: a tree whose prefix differs is not proven to extend the old head', () => {
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 100 }), fc.nat(), fc.nat(), (n, m0, j0) => {
        const m = 1 + (m0 % (n - 1));
        const leaves = leavesOf(n);
        const oldRoot = treeHead(leaves.slice(0, m));
        const rewritten = [...leaves];
        rewritten[j0 % m] = leafHash('rewritten');
        expect(verifyConsistency(m, n, oldRoot, treeHead(rewritten), consistencyProof(m, rewritten))).toBe(false);
      }),
    );
  });

  it('refuses proofs outside the tree', () => {
    expect(() => inclusionProof(3, leavesOf(3))).toThrow(RangeError);
    expect(() => consistencyProof(4, leavesOf(3))).toThrow(RangeError);
    expect(verifyInclusion(leavesOf(1)[0], 0, 0, [], treeHead([]))).toBe(false);
  });
});
