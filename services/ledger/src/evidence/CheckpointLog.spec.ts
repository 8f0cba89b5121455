import { SqliteEventStore } from '../adapters/SqliteEventStore';
import type { VerifiedDataset } from '../domain/datasetStream';
import { StreamId } from '../domain/StreamId';
import { Ledger } from '../Ledger';
import { checkpointProblem, headLeaf } from './Checkpoint';
import { HistoryRewritten } from './CheckpointLog';
import { LedgerKeyProblem, LedgerSigningKey } from './LedgerSigningKey';
import { verifyConsistency, verifyInclusion } from './MerkleTree';

const ds = (counter: number, stationId = 'CP-1'): VerifiedDataset => ({
  stationId,
  publicKey: 'abcd',
  paginationContext: 'T',
  counter: String(counter),
  pagination: `T${counter}`,
  ocmf: `OCMF|{"PG":"T${counter}"}|{}`,
  payloadSha256: `${counter}`,
  verification: { verdict: 'valid', reason: 'ok', verifier: 'test', verifiedAt: 't' },
  receipt: { messageId: `${stationId}:${counter}`, receivedAt: 't', source: 'test' },
});

function setup(algorithm: 'Ed25519' | 'ECDSA-P256-SHA256' = 'Ed25519') {
  const store = new SqliteEventStore(':memory:');
  const key = LedgerSigningKey.generate(algorithm);
  let tick = 0;
  const now = () => new Date(Date.UTC(2026, 0, 1) + tick++ * 1000).toISOString();
  return { store, key, ledger: new Ledger(store, now, { signingKey: key }) };
}

describe('CheckpointLog', () => {
  it.each(['Ed25519', 'ECDSA-P256-SHA256'] as const)('signs a tree head over every stream head (%s); each head is proven in it', async (algorithm) => {
    const { ledger, key } = setup(algorithm);
    for (const c of [1, 2, 4]) await ledger.recordDataset(ds(c));
    await ledger.recordDataset(ds(1, 'CP-2'));
    const streams = [StreamId.datasets('CP-1', 'abcd', 'T'), StreamId.datasets('CP-2', 'abcd', 'T')];
    const { checkpoint, heads } = await ledger.checkpoints.attest(streams);
    expect(checkpointProblem(checkpoint, key.publicKey)).toBeUndefined();
    expect(checkpoint.statement).toMatchObject({ sequence: 0, treeSize: 2, streams: 2, events: 5, keyId: key.publicKey.keyId });
    expect(heads.map((h) => [h.stream, h.revision])).toEqual([
      [streams[0], 3],
      [streams[1], 0],
    ]);
    for (const h of heads) expect(verifyInclusion(headLeaf(h), h.leafIndex, checkpoint.statement.treeSize, h.inclusionProof, checkpoint.statement.rootHash)).toBe(true);
    const other = LedgerSigningKey.generate();
    expect(checkpointProblem(checkpoint, other.publicKey)).toMatch(/not the ledger key/);
    expect(checkpointProblem({ ...checkpoint, statement: { ...checkpoint.statement, events: 6 } })).toMatch(/signature does not verify/);
  });

  it('keeps checkpoints as ledger events, adds one only when a head moved, and proves each newer one extends each older one', async () => {
    const { ledger, store, key } = setup();
    await ledger.recordDataset(ds(1));
    const first = await ledger.checkpoints.checkpoint();
    expect(await ledger.checkpoints.checkpoint()).toEqual(first);
    await ledger.recordDataset(ds(2));
    await ledger.recordDataset(ds(1, 'CP-3'));
    const second = await ledger.checkpoints.checkpoint();
    expect(second.statement).toMatchObject({ sequence: 1, treeSize: 3, events: 3 });
    const { proof } = await ledger.checkpoints.consistency(first.statement.treeSize);
    expect(verifyConsistency(first.statement.treeSize, second.statement.treeSize, first.statement.rootHash, second.statement.rootHash, proof)).toBe(true);
    expect(verifyConsistency(first.statement.treeSize, second.statement.treeSize, second.statement.rootHash, second.statement.rootHash, proof)).toBe(false);
    const stored = await store.read(StreamId.checkpoints());
    expect(stored.map((e) => e.type)).toEqual(['CheckpointSigned', 'CheckpointSigned']);
    expect((await ledger.verifyChains()).broken).toEqual([]);
    // Another process reads the same checkpoints from the store.
    const again = new Ledger(store, () => 'x', { signingKey: key });
    expect(await again.checkpoints.latest()).toEqual(second);
    expect(await again.checkpoints.all()).toEqual([first, second]);
  });

  it('refuses to sign when the event signed as a head was changed since', async () => {
    const { ledger, store } = setup();
    for (const c of [1, 2, 3]) await ledger.recordDataset(ds(c));
    await ledger.checkpoints.checkpoint();
    store.tamper(StreamId.datasets('CP-1', 'abcd', 'T'), 2, '{"edited":true}');
    await ledger.recordDataset(ds(1, 'CP-2'));
    await expect(ledger.checkpoints.checkpoint()).rejects.toThrow(/revision 2: the event signed as its head was changed after signing/);
  });

  it('refuses to sign over new events that do not chain from the signed head', async () => {
    const { ledger, store } = setup();
    await ledger.recordDataset(ds(1));
    await ledger.recordDataset(ds(2));
    await ledger.checkpoints.checkpoint();
    await ledger.recordDataset(ds(3));
    store.tamper(StreamId.datasets('CP-1', 'abcd', 'T'), 2, '{"edited":true}');
    await expect(ledger.checkpoints.checkpoint()).rejects.toThrow(HistoryRewritten);
    await expect(ledger.checkpoints.checkpoint()).rejects.toThrow(/revision 2: its content does not match its hash/);
  });

  it('makes checkpoints by itself every N events', async () => {
    const store = new SqliteEventStore(':memory:');
    const errors: Error[] = [];
    const ledger = new Ledger(store, undefined, { signingKey: LedgerSigningKey.generate(), checkpointPolicy: { everyEvents: 3, everyMinutes: 60 }, onCheckpointError: (e) => errors.push(e) });
    for (const c of [1, 2]) await ledger.recordDataset(ds(c));
    await ledger.checkpointSchedule!.settled();
    expect(await ledger.checkpoints.latest()).toBeUndefined();
    await ledger.recordDataset(ds(3));
    await ledger.checkpointSchedule!.settled();
    expect((await ledger.checkpoints.latest())?.statement).toMatchObject({ sequence: 0, events: 3 });
    expect(errors).toEqual([]);
  });

  it('without a key, says what to configure; the private key never shows', async () => {
    const ledger = new Ledger(new SqliteEventStore(':memory:'));
    await ledger.recordDataset(ds(1));
    await expect(ledger.checkpoints.checkpoint()).rejects.toThrow(LedgerKeyProblem);
    const key = LedgerSigningKey.generate();
    const pem = key.exportPrivatePem();
    const secret = pem.split('\n')[1];
    expect(JSON.stringify(key)).not.toContain(secret);
    expect(String(key)).not.toContain(secret);
    expect(LedgerSigningKey.fromPem(pem).publicKey).toEqual(key.publicKey);
    expect(() => LedgerSigningKey.fromPem('nope')).toThrow(/not a PEM private key/);
  });
});
