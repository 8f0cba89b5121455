import { DEFAULT_FAULTS, FleetSimulator, serializeMessage, type SimulationMessage } from '@metrology-ledger/cp800-model';
import { Ledger, SqliteEventStore, StreamId } from '@metrology-ledger/ledger';
import { IngestPipeline } from './IngestPipeline';
import { reconcileWithManifest } from './reconcileWithManifest';
import { registerSimulatedKeys } from './registerSimulatedKeys';

function simulate(seed: number) {
  const faults = { ...DEFAULT_FAULTS, drop: 0.05, duplicate: 0.05, reorder: 0.05, delay: 0.05, tamper: 0.04, wrongKey: 0.04, conflict: 0.04, keyReplace: 0.4 };
  const sim = new FleetSimulator({ stations: 8, days: 4, seed, start: Date.UTC(2025, 3, 1), faults });
  const messages: SimulationMessage[] = [];
  for (const day of sim.days()) messages.push(...day);
  return { messages, manifest: sim.manifest };
}

async function ingestAll(messages: SimulationMessage[], manifest: ReturnType<typeof simulate>['manifest']) {
  const store = new SqliteEventStore(':memory:');
  const ledger = new Ledger(store);
  await registerSimulatedKeys(ledger, manifest);
  const pipeline = new IngestPipeline(ledger);
  for (const m of messages) await pipeline.process(serializeMessage(m), 'test', m.stationId);
  return { store, ledger, pipeline };
}

describe('IngestPipeline on a simulated fleet', () => {
  const { messages, manifest } = simulate(21);
  const delivered = new Map(messages.filter((m) => m.kind === 'ocmf-dataset').map((m) => [m.messageId, (m as { ocmf: string }).ocmf]));

  it('ends with exactly the manifest: gaps, duplicates, conflicts, rejections, every message once, bytes kept', async () => {
    const { store, ledger } = await ingestAll(messages, manifest);
    const r = await reconcileWithManifest(store, manifest, delivered);
    expect(r.differences).toEqual([]);
    expect(r.counts.rejections).toBeGreaterThan(0);
    expect(r.counts.duplicates).toBeGreaterThan(0);
    expect((await ledger.verifyChains()).broken).toEqual([]);
  });

  it('ends in the same state whatever the delivery order, and when everything is delivered twice', async () => {
    const shuffled = [...messages].sort((a, b) => (a.messageId.split('').reverse().join('') < b.messageId.split('').reverse().join('') ? -1 : 1));
    const { store, pipeline } = await ingestAll(shuffled, manifest);
    for (const m of messages.slice(0, 50)) await pipeline.process(serializeMessage(m), 'redelivery', m.stationId);
    expect((await reconcileWithManifest(store, manifest, delivered)).differences).toEqual([]);
  });
});

describe('IngestPipeline rejections', () => {
  const { messages, manifest } = simulate(22);
  const dataset = messages.find((m) => m.kind === 'ocmf-dataset')!;

  it.each([
    ['not JSON', 'hello', 'bad-message'],
    ['an unknown kind', JSON.stringify({ kind: 'weather', messageId: 'w1', stationId: 'CP-000001' }), 'bad-message'],
    ['a dataset message missing fields', JSON.stringify({ kind: 'ocmf-dataset', messageId: 'x1', stationId: 'CP-000001' }), 'bad-message'],
    ['an unknown station', JSON.stringify({ ...dataset, messageId: 'u1', stationId: 'CP-999999' }), 'unknown-station'],
    ['an OCMF string that does not parse', JSON.stringify({ ...dataset, messageId: 'p1', ocmf: 'OCMF|{broken' }), 'malformed-sections'],
    ['a payload that is not OCMF at all', JSON.stringify({ ...dataset, messageId: 'p2', ocmf: 'hello' }), 'unparseable'],
  ])('records %s as a rejection with its reason, keeping the message verbatim', async (_what, raw, code) => {
    const store = new SqliteEventStore(':memory:');
    const ledger = new Ledger(store);
    await registerSimulatedKeys(ledger, manifest);
    const out = await new IngestPipeline(ledger).process(raw, 'test', 'CP-000001');
    expect(out).toMatchObject({ kind: 'rejected', code });
    const streams = await store.streams('rejections-');
    expect(streams).toHaveLength(1);
    const [e] = await ledger.events(streams[0]);
    expect(e).toMatchObject({ type: 'DatasetRejected', data: { code, raw } });
    expect((e.data as { reason: string }).reason.length).toBeGreaterThan(10);
  });

  it('accepts an OCPP 2.0.1 SignedMeterValueType in place of the raw string', async () => {
    const store = new SqliteEventStore(':memory:');
    const ledger = new Ledger(store);
    await registerSimulatedKeys(ledger, manifest);
    const d = dataset as { ocmf: string; stationId: string };
    const ocpp = JSON.stringify({ signedMeterData: Buffer.from(d.ocmf).toString('base64'), signingMethod: '', encodingMethod: 'OCMF', publicKey: '' });
    const out = await new IngestPipeline(ledger).process(JSON.stringify({ ...dataset, ocmf: ocpp }), 'test');
    expect(out.kind).toBe('recorded');
    expect(await store.streams(StreamId.rejections(d.stationId))).toEqual([]);
  });
});
