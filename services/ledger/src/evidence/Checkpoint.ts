import { leafHash } from './MerkleTree';
import { verifyLedgerSignature, type LedgerPublicKey } from './LedgerSigningKey';

/** What a checkpoint's signature covers. */
export const CHECKPOINT_LOG = 'metrology-ledger checkpoint v1';

/**
 * One stream's head at a checkpoint: the newest revision and its chain hash. A checkpoint appends one
 * head per stream that moved since the checkpoint before (in stream-name order), so the tree of heads
 * only grows: every older checkpoint's tree is a prefix of every newer one (RFC 9162 consistency).
 */
export interface StreamHead {
  stream: string;
  revision: number;
  hash: string;
}

/** The signed statement: the RFC 9162 tree head over every head appended so far. */
export interface CheckpointStatement {
  log: typeof CHECKPOINT_LOG;
  /** 0 for the first checkpoint, then one more each. */
  sequence: number;
  /** Leaves (heads) in the tree. */
  treeSize: number;
  /** RFC 9162 MTH over the leaves, hex. */
  rootHash: string;
  /** Streams with at least one head in the tree, and their events in total. */
  streams: number;
  events: number;
  createdAt: string;
  keyId: string;
}

/** A checkpoint as kept in the ledger and handed to auditors. */
export interface SignedCheckpoint {
  statement: CheckpointStatement;
  /** base64, over `statementBytes(statement)`. */
  signature: string;
  publicKey: LedgerPublicKey;
}

/** The leaf data of a head: stream name (percent-encoded, never holds a line feed), revision, hash. */
export function headLeaf(head: StreamHead): string {
  return leafHash(`stream-head\n${head.stream}\n${head.revision}\n${head.hash}`);
}

/** The exact bytes signed: the statement's fields in a fixed order, as JSON, whatever order they arrived in. */
export function statementBytes(s: CheckpointStatement): Buffer {
  const fixed = { log: s.log, sequence: s.sequence, treeSize: s.treeSize, rootHash: s.rootHash, streams: s.streams, events: s.events, createdAt: s.createdAt, keyId: s.keyId };
  return Buffer.from(JSON.stringify(fixed), 'utf8');
}

/**
 * Why a checkpoint cannot be trusted, or undefined when its signature holds under `trusted` (the
 * ledger key the auditor got out of band; without it, the key inside the checkpoint, which proves
 * integrity but not origin).
 */
export function checkpointProblem(c: SignedCheckpoint, trusted?: LedgerPublicKey): string | undefined {
  const s = c?.statement;
  if (!s || s.log !== CHECKPOINT_LOG) return `not a checkpoint of this ledger format (log must be "${CHECKPOINT_LOG}")`;
  if (!Number.isSafeInteger(s.sequence) || !Number.isSafeInteger(s.treeSize) || s.sequence < 0 || s.treeSize < 0) return 'checkpoint sequence or tree size is not a whole number';
  const key = trusted ?? c.publicKey;
  if (!key || s.keyId !== key.keyId) return `checkpoint is signed by key ${JSON.stringify(String(s.keyId).slice(0, 64))}, not the ledger key ${key?.keyId ?? '(none)'}`;
  if (!verifyLedgerSignature(key, statementBytes(s), c.signature)) return 'checkpoint signature does not verify (the statement was altered or signed by another key)';
  return undefined;
}
