import { chainHash, GENESIS_HASH } from '../domain/HashChain';
import type { CheckpointSigned } from '../domain/LedgerEvent';
import { LedgerRuleViolation } from '../domain/LedgerRuleViolation';
import { StreamId } from '../domain/StreamId';
import { readAll, type EventStore } from '../ports/EventStore';
import { CHECKPOINT_LOG, checkpointProblem, headLeaf, statementBytes, type CheckpointStatement, type SignedCheckpoint, type StreamHead } from './Checkpoint';
import { LedgerKeyProblem, type LedgerSigningKey } from './LedgerSigningKey';
import { consistencyProof, inclusionProof, treeHead } from './MerkleTree';

const PAGE = 1000;
const MAX_CONFLICTS = 10;

/** The ledger refuses to sign: a stream no longer extends the head an earlier checkpoint signed. */
export class HistoryRewritten extends Error {
  constructor(
    readonly stream: string,
    readonly revision: number,
    readonly reason: string,
  ) {
    super(`checkpoint refused: stream ${JSON.stringify(stream.slice(0, 200))} at revision ${revision}: ${reason} (rule: every stream's signed head is an ancestor of its next head)`);
    this.name = 'HistoryRewritten';
  }
}

/** A stream's head in the tree, with the leaf that holds it. */
export interface HeadInTree extends StreamHead {
  leafIndex: number;
  /** RFC 9162 inclusion proof of the leaf in the checkpoint's tree. */
  inclusionProof: string[];
}

/** A checkpoint and the proofs that the given streams' heads are in its tree. */
export interface Attestation {
  checkpoint: SignedCheckpoint;
  heads: HeadInTree[];
  /** When asked for: the RFC 9162 consistency proof from an older tree size to this checkpoint's. */
  consistency?: { fromTreeSize: number; proof: string[] };
}

/**
 * The ledger's checkpoints, kept as `CheckpointSigned` events in the stream the ledger names
 * (`StreamId.checkpoints()`). The leaves of the tree are stream heads; a checkpoint appends one leaf for
 * each stream that moved since the previous one, after checking that the stream's new events chain
 * from the head signed before (so no signed history is ever rewritten without the next checkpoint
 * refusing), then signs the RFC 9162 tree head with the ledger's key.
 *
 * Work per checkpoint: one read per stream plus the events new since the last checkpoint, and one
 * pass over the leaf hashes for the tree head. The leaf hashes are held in memory (≈ 100 bytes a leaf).
 * One process makes checkpoints at a time; a concurrent one loses the append and retries on the stored
 * state.
 */
export class CheckpointLog {
  private state: Promise<LogState> | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  readonly stream = StreamId.checkpoints();

  constructor(
    private readonly store: EventStore,
    private readonly key: LedgerSigningKey | undefined,
    private readonly now: () => string = () => new Date().toISOString(),
  ) {}

  /** The newest checkpoint, or undefined before the first. */
  async latest(): Promise<SignedCheckpoint | undefined> {
    const s = await this.load();
    return s.checkpoints[s.checkpoints.length - 1];
  }

  /** Every checkpoint, oldest first. */
  async all(): Promise<SignedCheckpoint[]> {
    return [...(await this.load()).checkpoints];
  }

  /** Makes a checkpoint if any stream moved since the last one (or none exists); returns the newest. */
  checkpoint(): Promise<SignedCheckpoint> {
    return this.serial(async () => (await this.advance()).checkpoints.at(-1)!);
  }

  /** On demand (an export): a checkpoint over the current heads and the inclusion proofs of the given streams. */
  attest(streams: readonly string[], consistencyFrom?: number): Promise<Attestation> {
    return this.serial(async () => {
      const s = await this.advance();
      const checkpoint = s.checkpoints.at(-1)!;
      if (consistencyFrom !== undefined && !(Number.isSafeInteger(consistencyFrom) && consistencyFrom >= 0 && consistencyFrom <= s.leaves.length)) {
        throw new LedgerRuleViolation('after-unknown-tree-size', `no checkpoint of this ledger has tree size ${consistencyFrom}: the newest has ${s.leaves.length}`);
      }
      const consistency = consistencyFrom === undefined ? undefined : { fromTreeSize: consistencyFrom, proof: consistencyProof(consistencyFrom, s.leaves) };
      const heads: HeadInTree[] = [];
      for (const stream of streams) {
        const h = s.heads.get(stream);
        if (h) heads.push({ stream, revision: h.revision, hash: h.hash, leafIndex: h.leafIndex, inclusionProof: inclusionProof(h.leafIndex, s.leaves) });
      }
      return { checkpoint, heads, ...(consistency ? { consistency } : {}) };
    });
  }

  /** Signs other evidence (an export bundle) with the ledger's key; base64. */
  sign(message: Buffer): string {
    if (!this.key) throw new LedgerKeyProblem('none is configured, so nothing can be signed (set LEDGER_SIGNING_KEY_FILE to a PEM private key)');
    return this.key.sign(message);
  }

  /** The RFC 9162 consistency proof from the tree of `fromTreeSize` leaves to the newest checkpoint's. */
  consistency(fromTreeSize: number): Promise<{ from: number; to: number; proof: string[] }> {
    return this.serial(async () => {
      const s = await this.load();
      return { from: fromTreeSize, to: s.leaves.length, proof: consistencyProof(fromTreeSize, s.leaves) };
    });
  }

  private serial<T>(f: () => Promise<T>): Promise<T> {
    const run = this.queue.then(f);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private load(): Promise<LogState> {
    this.state ??= loadState(this.store, this.stream).catch((e) => {
      this.state = undefined;
      throw e;
    });
    return this.state;
  }

  private async advance(): Promise<LogState> {
    if (!this.key) throw new LedgerKeyProblem('none is configured, so no checkpoint can be signed (set LEDGER_SIGNING_KEY_FILE to a PEM private key)');
    for (let attempt = 0; attempt < MAX_CONFLICTS; attempt++) {
      const s = await this.load();
      const moved = await this.movedHeads(s);
      if (moved.length === 0 && s.checkpoints.length > 0) return s;
      const leaves = [...s.leaves, ...moved.map(headLeaf)];
      const heads = new Map(s.heads);
      let events = s.events;
      moved.forEach((h, i) => {
        events += h.revision - (heads.get(h.stream)?.revision ?? -1);
        heads.set(h.stream, { ...h, leafIndex: s.leaves.length + i });
      });
      const statement: CheckpointStatement = {
        log: CHECKPOINT_LOG,
        sequence: s.checkpoints.length,
        treeSize: leaves.length,
        rootHash: treeHead(leaves),
        streams: heads.size,
        events,
        createdAt: this.now(),
        keyId: this.key.publicKey.keyId,
      };
      const checkpoint: SignedCheckpoint = { statement, signature: this.key.sign(statementBytes(statement)), publicKey: this.key.publicKey };
      const data: CheckpointSigned['data'] = { ...checkpoint, heads: moved };
      const dataText = JSON.stringify(data);
      const revision = s.revision + 1;
      const hash = chainHash(s.headHash, this.stream, revision, 'CheckpointSigned', dataText);
      const r = await this.store.append(this.stream, s.revision, [{ type: 'CheckpointSigned', dataText, recordedAt: statement.createdAt, prevHash: s.headHash, hash }]);
      if (r.ok) {
        const next: LogState = { leaves, heads, events, checkpoints: [...s.checkpoints, checkpoint], revision, headHash: hash };
        this.state = Promise.resolve(next);
        return next;
      }
      this.state = undefined; // another process signed first: start again from what is stored
    }
    throw new Error(`checkpoint: gave up after ${MAX_CONFLICTS} concurrent checkpoints`);
  }

  /** The heads that moved since the last checkpoint, each checked to extend its signed head. */
  private async movedHeads(s: LogState): Promise<StreamHead[]> {
    const streams = (await this.store.streams('')).filter((id) => id !== this.stream);
    const present = new Set(streams);
    for (const stream of s.heads.keys()) if (!present.has(stream)) throw new HistoryRewritten(stream, s.heads.get(stream)!.revision, 'the stream is gone from the store');
    const moved: StreamHead[] = [];
    for (const stream of streams) {
      const known = s.heads.get(stream);
      let revision = known?.revision ?? -1;
      let prev = known?.hash ?? GENESIS_HASH;
      if (known) {
        const [signed] = await this.store.read(stream, known.revision, 1);
        if (!signed) throw new HistoryRewritten(stream, known.revision, 'the event signed as its head is gone');
        if (signed.hash !== known.hash || chainHash(signed.prevHash, stream, signed.revision, signed.type, signed.dataText) !== known.hash) {
          throw new HistoryRewritten(stream, known.revision, 'the event signed as its head was changed after signing');
        }
      }
      for (;;) {
        const page = await this.store.read(stream, revision + 1, PAGE);
        for (const e of page) {
          if (e.revision !== revision + 1) throw new HistoryRewritten(stream, e.revision, `revision ${e.revision} where ${revision + 1} was expected`);
          if (e.prevHash !== prev) throw new HistoryRewritten(stream, e.revision, 'its previous-hash is not the hash before it');
          if (chainHash(prev, stream, e.revision, e.type, e.dataText) !== e.hash) throw new HistoryRewritten(stream, e.revision, 'its content does not match its hash');
          prev = e.hash;
          revision = e.revision;
        }
        if (page.length < PAGE) break;
      }
      if (revision > (known?.revision ?? -1)) moved.push({ stream, revision, hash: prev });
    }
    return moved;
  }
}

interface LogState {
  leaves: string[];
  heads: Map<string, StreamHead & { leafIndex: number }>;
  events: number;
  checkpoints: SignedCheckpoint[];
  /** Revision and chain hash of the checkpoint stream itself. */
  revision: number;
  headHash: string;
}

async function loadState(store: EventStore, stream: string): Promise<LogState> {
  const s: LogState = { leaves: [], heads: new Map(), events: 0, checkpoints: [], revision: -1, headHash: GENESIS_HASH };
  for await (const e of readAll(store, stream)) {
    const data = JSON.parse(e.dataText) as CheckpointSigned['data'];
    for (const h of data.heads) {
      s.heads.set(h.stream, { stream: h.stream, revision: h.revision, hash: h.hash, leafIndex: s.leaves.length });
      s.leaves.push(headLeaf(h));
    }
    s.checkpoints.push({ statement: data.statement as CheckpointStatement, signature: data.signature, publicKey: data.publicKey });
    s.events = data.statement.events;
    s.revision = e.revision;
    s.headHash = e.hash;
  }
  const last = s.checkpoints.at(-1);
  if (last) {
    const problem = checkpointProblem(last);
    if (problem) throw new Error(`the newest stored checkpoint cannot be trusted: ${problem}`);
    if (last.statement.treeSize !== s.leaves.length || last.statement.rootHash !== treeHead(s.leaves)) throw new Error('the stored checkpoints do not add up to the newest tree head (the checkpoint stream was edited)');
  }
  return s;
}
