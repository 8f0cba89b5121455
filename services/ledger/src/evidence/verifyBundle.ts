import { verifyOcmf } from '@metrology-ledger/ocmf';
import { chainHash, GENESIS_HASH } from '../domain/HashChain';
import { parseStreamId } from '../domain/StreamId';
import { bundleViews, type PacketLine } from './bundleViews';
import { checkpointProblem, headLeaf, type SignedCheckpoint } from './Checkpoint';
import { BUNDLE_FORMAT, bundleBytes, type EvidenceBundle } from './EvidenceBundle';
import { verifyLedgerSignature, type LedgerPublicKey } from './LedgerSigningKey';
import { verifyConsistency, verifyInclusion } from './MerkleTree';

export interface BundleVerdictOptions {
  /** The ledger's public key as the auditor got it out of band; without it, only the key inside the bundle. */
  ledgerKey?: LedgerPublicKey;
  /** A checkpoint (or a whole bundle) the auditor kept from before: the bundle must extend it. */
  after?: SignedCheckpoint | EvidenceBundle;
}

export type BundleVerdict =
  | { ok: true; origin: 'ledger key given' | 'key inside the bundle only'; checked: { streams: number; events: number; packets: number; signatures: number; keys: number; metrologyLogEntries: number; afterCheckpoint: number | null } }
  | { ok: false; part: string; problem: string };

const fail = (part: string, problem: string): BundleVerdict => ({ ok: false, part, problem });

/** JSON with object keys sorted: equal for equal values, whatever the key order or the realm the objects were made in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v));
}
const same = (a: unknown, b: unknown) => canonical(a) === canonical(b);
const quote = (v: unknown) => JSON.stringify(String(v).slice(0, 120));

/**
 * Checks an evidence bundle offline, in this order, and stops at the first thing wrong: the
 * checkpoint's signature (under the given ledger key), each stream's hash chain from its first event to
 * its head, each head's RFC 9162 inclusion proof in the checkpoint's tree, consistency with an older
 * checkpoint (RFC 9162 proof, and each stream's old head an ancestor of its new one), every derived
 * view (packets as NDJSON and SAFE XML in pagination order, key history, metrology log, completeness
 * statement) against the chained events, and every packet's OCMF signature under the station's key.
 */
export function verifyBundle(input: unknown, options: BundleVerdictOptions = {}): BundleVerdict {
  const b = input as EvidenceBundle;
  if (!b || typeof b !== 'object' || b.format !== BUNDLE_FORMAT) return fail('format', `not an evidence bundle (format must be "${BUNDLE_FORMAT}")`);
  if (typeof b.stationId !== 'string' || !Array.isArray(b.streams) || !b.checkpoint || !b.packets) return fail('format', 'station id, streams, checkpoint or packets missing');

  // 1. The checkpoint.
  if (options.ledgerKey && b.ledgerKey?.keyId !== options.ledgerKey.keyId) return fail('ledger key', `the bundle names ledger key ${quote(b.ledgerKey?.keyId)}, not the given key ${options.ledgerKey.keyId}`);
  const key = options.ledgerKey ?? b.ledgerKey;
  const cp = checkpointProblem(b.checkpoint, key);
  if (cp) return fail('checkpoint', cp);
  const { treeSize, rootHash } = b.checkpoint.statement;

  // 2. Each stream: its chain from the first event, its head, the head's place in the tree.
  const seen = new Set<string>();
  let events = 0;
  for (const s of b.streams) {
    const where = `stream ${quote(s?.streamId)}`;
    if (parseStreamId(String(s?.streamId))?.stationId !== b.stationId) return fail(where, `is not a stream of station ${quote(b.stationId)}`);
    if (seen.has(s.streamId)) return fail(where, 'appears twice');
    seen.add(s.streamId);
    if (!Array.isArray(s.events) || s.events.length === 0) return fail(where, 'holds no events');
    let prev = GENESIS_HASH;
    for (const [i, e] of s.events.entries()) {
      if (e.revision !== i) return fail(where, `revision ${quote(e.revision)} where ${i} was expected (an event is missing or moved)`);
      if (e.prevHash !== prev) return fail(where, `revision ${i}: previous-hash does not match the event before it`);
      if (chainHash(prev, s.streamId, e.revision, e.type, e.dataText) !== e.hash) return fail(where, `revision ${i}: content does not match its hash (altered)`);
      prev = e.hash;
    }
    events += s.events.length;
    const last = s.events[s.events.length - 1];
    const h = s.head;
    if (!h || h.stream !== s.streamId || h.revision !== last.revision || h.hash !== last.hash) return fail(where, `its last event (revision ${last.revision}) is not the head the checkpoint signed (revision ${quote(h?.revision)})`);
    if (!Array.isArray(h.inclusionProof) || !verifyInclusion(headLeaf(h), h.leafIndex, treeSize, h.inclusionProof, rootHash)) return fail(where, `its head is not in the checkpoint's tree (RFC 9162 inclusion proof of leaf ${quote(h.leafIndex)} fails against root ${rootHash.slice(0, 16)}…)`);
  }
  const keysStream = b.streams.find((s) => parseStreamId(s.streamId)?.kind === 'keys');
  if (!keysStream) return fail('streams', "the station's key history stream is missing");

  // 3. Consistency with a checkpoint the auditor kept.
  let afterSequence: number | null = null;
  if (options.after) {
    const older: SignedCheckpoint = 'statement' in options.after ? options.after : options.after.checkpoint;
    const op = checkpointProblem(older, key);
    if (op) return fail('older checkpoint', op);
    const o = older.statement;
    if (o.sequence > b.checkpoint.statement.sequence || o.treeSize > treeSize) return fail('older checkpoint', `it (sequence ${o.sequence}, tree size ${o.treeSize}) is newer than the bundle's (sequence ${b.checkpoint.statement.sequence}, tree size ${treeSize})`);
    if (o.treeSize === treeSize) {
      if (o.rootHash !== rootHash) return fail('consistency', 'the older checkpoint has the same tree size and another root: the history was rewritten');
    } else if (!b.consistency || b.consistency.fromTreeSize !== o.treeSize) {
      return fail('consistency', `the bundle carries no consistency proof from tree size ${o.treeSize} (export it again with after=${o.treeSize})`);
    } else if (!verifyConsistency(o.treeSize, treeSize, o.rootHash, rootHash, b.consistency.proof)) {
      return fail('consistency', `the RFC 9162 consistency proof from tree size ${o.treeSize} to ${treeSize} fails: the newer checkpoint does not extend the older one (a rewritten past)`);
    }
    if (!('statement' in options.after)) {
      for (const os of options.after.streams ?? []) {
        const now = b.streams.find((s) => s.streamId === os.streamId);
        const at = now?.events[os.head.revision];
        if (!at || at.hash !== os.head.hash) return fail('consistency', `stream ${quote(os.streamId)}: the older bundle's head (revision ${os.head.revision}) is not an ancestor of the new head`);
      }
    }
    afterSequence = o.sequence;
  }

  // 4. Every view, derived again from the chained events.
  const views = bundleViews(b.streams, b.period ?? {});
  if (!same(b.keyHistory, views.keyHistory)) return fail('key history', 'differs from the key stream');
  const lines = String(b.packets.ndjson).split('\n');
  const expected = views.packets.ndjson.split('\n');
  for (let i = 0; i < Math.max(lines.length, expected.length); i++) {
    if (lines[i] !== expected[i]) {
      const want = expected[i] ? (JSON.parse(expected[i]) as PacketLine) : undefined;
      return fail('packets (NDJSON)', `line ${i + 1} ${want ? `should be counter ${want.counter} of ${want.streamId} (revision ${want.revision})` : 'should not exist'}: a packet was dropped, added, reordered or altered`);
    }
  }
  if (b.packets.safeXml !== views.packets.safeXml) return fail('packets (SAFE XML)', 'differs from the packets of the dataset streams in pagination order');
  if (!same(b.metrologyLog, views.metrologyLog)) return fail('metrology log', 'differs from the metrology-log stream');
  if (!same(b.completeness, views.completeness)) return fail('completeness statement', 'differs from what the dataset and rejection streams show');

  // 5. Every packet's OCMF signature, under a key registered for the station.
  const registered = new Set(views.keyHistory.filter((k) => k.stationId === b.stationId).map((k) => k.publicKey.toLowerCase()));
  let signatures = 0;
  for (const line of expected.filter(Boolean)) {
    const p = JSON.parse(line) as PacketLine;
    if (!registered.has(p.publicKey.toLowerCase())) return fail('OCMF signature', `packet counter ${p.counter} of ${quote(p.streamId)}: key ${quote(p.publicKey.slice(0, 32))}… is not in the station's key history`);
    const v = verifyOcmf(p.ocmf, { publicKey: p.publicKey });
    if (v.verdict !== 'valid') return fail('OCMF signature', `packet counter ${p.counter} of ${quote(p.streamId)}: ${v.verdict} (${v.reason})`);
    signatures++;
  }

  // 6. Last, the whole document: what no check above covers (export time, period, the order of fields).
  if (typeof b.signature !== 'string' || !verifyLedgerSignature(key, bundleBytes(b), b.signature)) return fail('bundle signature', 'the ledger key\'s signature over the whole bundle does not verify (a part outside the chains was altered)');
  return {
    ok: true,
    origin: options.ledgerKey ? 'ledger key given' : 'key inside the bundle only',
    checked: { streams: b.streams.length, events, packets: signatures, signatures, keys: views.keyHistory.length, metrologyLogEntries: views.metrologyLog.length, afterCheckpoint: afterSequence },
  };
}
