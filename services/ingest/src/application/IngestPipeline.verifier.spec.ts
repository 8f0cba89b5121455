import { createHash } from 'node:crypto';
import { DEFAULT_FAULTS, FleetSimulator, serializeMessage, type SimulationMessage } from '@metrology-ledger/cp800-model';
import { Ledger, SqliteEventStore } from '@metrology-ledger/ledger';
import { parseOcmfSections } from '@metrology-ledger/ocmf';
import { VerificationPool } from '../infrastructure/VerificationPool';
import { tryKeys, type DatasetVerifier, type KeyTrial } from './DatasetVerifier';
import { IngestPipeline } from './IngestPipeline';

// Signature checks that end out of order (worker threads) must not change what the ledger holds: the
// pipeline appends in the order the messages were handed over. Datasets with faults (drops, duplicates,
// reordering, tampering, wrong keys, conflicts, key replacements) from the simulator.
const FAULTS = { ...DEFAULT_FAULTS, drop: 0.05, duplicate: 0.05, reorder: 0.05, tamper: 0.04, wrongKey: 0.04, conflict: 0.04, keyReplace: 0.5, stationFault: 0.1 };
const sim = new FleetSimulator({ stations: 3, days: 3, seed: 77, start: Date.UTC(2025, 0, 1), faults: FAULTS });
const messages: SimulationMessage[] = [...sim.days()].flat();

/** Every stream of the ledger as `type counter/messageId` lines, in stream order. */
async function contents(ledger: Ledger): Promise<string[]> {
  const out: string[] = [];
  for (const stationId of sim.manifest.registry.map((r) => r.stationId)) {
    for (const s of await ledger.stationStreams(stationId)) {
      for await (const e of ledger.eventsOf(s)) {
        if (e.event.type === 'StationKeyRegistered') continue;
        const d = e.event.data as { counter?: string; receipt?: { messageId: string }; messageId?: string };
        out.push(`${s} ${e.revision} ${e.event.type} ${d.counter ?? ''} ${d.receipt?.messageId ?? d.messageId ?? ''}`);
      }
    }
  }
  return out;
}

async function ingest(verifier: DatasetVerifier | undefined, all: 'one-by-one' | 'at-once'): Promise<string[]> {
  const ledger = new Ledger(new SqliteEventStore(':memory:'), () => '2025-06-01T00:00:00.000Z');
  await ledger.registerKeys(sim.manifest.registry);
  const pipeline = new IngestPipeline(ledger, { now: () => '2025-06-01T00:00:00.000Z', ...(verifier ? { verifier } : {}) });
  const handOver = (m: SimulationMessage, i: number) => pipeline.process(serializeMessage(m), `test/${i}`, m.stationId);
  if (all === 'one-by-one') for (const [i, m] of messages.entries()) await handOver(m, i);
  else await Promise.all(messages.map(handOver));
  const held = await contents(ledger);
  await ledger.store.close();
  return held;
}

describe('IngestPipeline with signature checks that end out of order', () => {
  let inOrder: string[];
  beforeAll(async () => {
    inOrder = await ingest(undefined, 'one-by-one');
  });

  it('the simulated run has what makes order matter: gaps opened and closed, duplicates, rejections', () => {
    const types = new Set(inOrder.map((l) => l.split(' ')[2]));
    expect([...types]).toEqual(expect.arrayContaining(['DatasetRecorded', 'DatasetRejected', 'DuplicateReceived', 'GapOpened', 'GapClosed']));
  });

  it('appends in hand-over order when later checks end first', async () => {
    let n = 0;
    const reversed: DatasetVerifier = {
      // The k-th check waits longer than every check after it: they all end before it.
      verify: (ocmf, keys) => {
        const wait = 400 - (n++ % 400);
        return new Promise<KeyTrial>((resolve) => setTimeout(() => resolve(tryKeys(ocmf, keys)), wait));
      },
    };
    expect(await ingest(reversed, 'at-once')).toEqual(inOrder);
  });

  it('holds the same on worker threads (VerificationPool)', async () => {
    const pool = new VerificationPool(2);
    try {
      expect(await ingest(pool, 'at-once')).toEqual(inOrder);
    } finally {
      await pool.close();
    }
  });
});

describe('VerificationPool', () => {
  const dataset = messages.find((m): m is Extract<SimulationMessage, { kind: 'ocmf-dataset' }> => m.kind === 'ocmf-dataset')!;
  const key = sim.manifest.registry.find((r) => r.stationId === dataset.stationId)!.keys[0].publicKey;

  it('answers as the check in this thread does, with plain values', async () => {
    const pool = new VerificationPool(1);
    try {
      const other = sim.manifest.registry.find((r) => r.stationId !== dataset.stationId)!.keys[0].publicKey;
      const [valid, secondKey, none] = await Promise.all([pool.verify(dataset.ocmf, [key]), pool.verify(dataset.ocmf, [other, key]), pool.verify(dataset.ocmf, [other])]);
      expect(valid).toEqual({ first: expect.objectContaining({ verdict: 'valid', paginationCounter: tryKeys(dataset.ocmf, [key]).first.paginationCounter }), valid: { v: expect.objectContaining({ verdict: 'valid' }), keyIndex: 0 } });
      expect(secondKey.first.verdict).toBe('invalid');
      expect(secondKey.valid?.keyIndex).toBe(1);
      expect(none).toEqual({ first: expect.objectContaining({ verdict: 'invalid', reason: tryKeys(dataset.ocmf, [other]).first.reason }) });
      // The signed payload comes back as its SHA-256 only, the same as in this thread.
      const payloadText = (parseOcmfSections(dataset.ocmf) as { sections: { payloadText: string } }).sections.payloadText;
      const payloadSha256 = createHash('sha256').update(payloadText, 'utf8').digest('hex');
      expect(valid.valid?.v.payloadSha256).toBe(payloadSha256);
      expect(secondKey.valid?.v.payloadSha256).toBe(payloadSha256);
      expect(tryKeys(dataset.ocmf, [key]).valid?.v.payloadSha256).toBe(payloadSha256);
      expect(none.first.payloadSha256).toBeUndefined();
      expect(valid.first).not.toHaveProperty('payloadText');
    } finally {
      await pool.close();
    }
  });

  it('says when every thread has loaded and listens, and answers after that as before', async () => {
    const pool = new VerificationPool(2);
    try {
      let ready = false;
      const waiting = pool.ready().then(() => (ready = true));
      expect(ready).toBe(false);
      await waiting;
      expect(ready).toBe(true);
      expect((await pool.verify(dataset.ocmf, [key])).valid?.keyIndex).toBe(0);
    } finally {
      await pool.close();
    }
  });

  it('refuses work once closed', async () => {
    const pool = new VerificationPool(1);
    await pool.close();
    await expect(pool.verify(dataset.ocmf, [key])).rejects.toThrow('closed');
  });
});
