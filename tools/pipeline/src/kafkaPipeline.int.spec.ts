import type { ChildProcess } from 'node:child_process';
import { DEFAULT_FAULTS } from '@metrology-ledger/cp800-model';
import { Ledger } from '@metrology-ledger/ledger';
import { reconcileWithManifest } from './reconcileWithManifest';
import { ensureKafka, KafkaPipelineHarness } from './KafkaPipelineHarness';

// End to end on a real Kafka broker (scripts/kafka.sh, started by .ci/run) and the local PostgreSQL:
// simulated fleet -> Kafka -> ingest (separate process) -> ledger in PostgreSQL -> compared with the
// simulator's ground truth.
const FAULTS = { ...DEFAULT_FAULTS, drop: 0.04, duplicate: 0.04, reorder: 0.04, delay: 0.04, tamper: 0.03, wrongKey: 0.03, conflict: 0.03, keyReplace: 0.4, stationFault: 0.1 };

beforeAll(() => ensureKafka());

describe('simulated fleet -> Kafka -> ingest -> ledger (PostgreSQL)', () => {
  it('ends with exactly the simulator manifest, every accepted dataset stored byte for byte', async () => {
    const h = new KafkaPipelineHarness();
    try {
      await h.prepare({ seed: 31, stations: 10, days: 4, faults: FAULTS });
      const ingest = h.startIngest();
      await h.produce();
      await h.waitUntilAllRecorded(ingest);
      const delivered = new Map(h.messages.filter((m) => m.kind === 'ocmf-dataset').map((m) => [m.messageId, (m as { ocmf: string }).ocmf]));
      const r = await reconcileWithManifest(new Ledger(h.store), h.manifest, delivered);
      expect(r.differences).toEqual([]);
      expect(r.counts.rejections).toBeGreaterThan(0);
      expect(r.counts.conflicts + r.counts.duplicates).toBeGreaterThan(0);
      expect(h.manifest.registry.some((s) => s.keys.length > 1)).toBe(true);
      expect((await new Ledger(h.store).verifyChains()).broken).toEqual([]);
    } finally {
      await h.cleanup();
    }
  });

  it('loses nothing and records nothing twice when ingest is killed (SIGKILL) mid-stream and restarted', async () => {
    const h = new KafkaPipelineHarness();
    try {
      await h.prepare({ seed: 32, stations: 10, days: 4, faults: FAULTS });
      const first: ChildProcess = h.startIngest();
      await h.produce();
      const total = h.manifest.counts.messages;
      await h.waitFor(async () => (await h.accounted()) >= total / 3, first);
      first.kill('SIGKILL');
      await new Promise((r) => first.once('exit', r));
      expect(await h.accounted()).toBeLessThan(total);
      const second = h.startIngest();
      await h.waitUntilAllRecorded(second);
      const r = await reconcileWithManifest(new Ledger(h.store), h.manifest);
      expect(r.differences).toEqual([]);
      expect(r.counts.messagesAccounted).toBe(total);
    } finally {
      await h.cleanup();
    }
  });
});
