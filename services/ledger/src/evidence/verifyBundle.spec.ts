import fc from 'fast-check';
import { SqliteEventStore } from '../adapters/SqliteEventStore';
import { Ledger } from '../Ledger';
import { SignedMeter } from '../testing/signedDatasets';
import type { EvidenceBundle } from './EvidenceBundle';
import { exportBundle } from './exportBundle';
import { LedgerSigningKey } from './LedgerSigningKey';
import { verifyBundle } from './verifyBundle';

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

async function stationLedger(key = LedgerSigningKey.generate()) {
  const store = new SqliteEventStore(':memory:');
  const ledger = new Ledger(store, () => '2025-06-02T00:00:00.000Z', { signingKey: key });
  const meter = new SignedMeter('CP-1');
  await ledger.registerKey({ stationId: 'CP-1', publicKey: meter.publicKey, validFrom: '2025-01-01T00:00:00Z' });
  for (const [c, day] of [
    [1, '01'],
    [2, '02'],
    [3, '03'],
    [5, '05'],
  ] as const)
    await ledger.recordDataset(meter.dataset(c, `2025-06-${day}T10:00:00`));
  await ledger.recordDataset({ ...meter.dataset(2, '2025-06-02T10:00:00'), receipt: { ...meter.dataset(2, '2025-06-02T10:00:00').receipt, messageId: 'again' } }); // duplicate
  await ledger.recordDataset(meter.dataset(3, '2025-06-03T10:00:00', 'OTHER')); // conflict
  await ledger.recordRejection({ stationId: 'CP-1', reason: 'signature does not match', code: 'invalid-signature', raw: 'OCMF|{}|{}', receipt: { messageId: 'bad', receivedAt: '2025-06-03T12:00:00Z', source: 'test' } });
  await ledger.recordLogEntry({ stationId: 'CP-1', seq: 1, time: '2025-06-03T09:00:00Z', event: 'MeterTestPassed', signedText: '{}', signature: 'sig', verification: { verdict: 'valid', reason: 'ok', verifier: 'test', verifiedAt: 't' }, receipt: { messageId: 'log1', receivedAt: 't', source: 'test' } });
  await ledger.recordDataset(new SignedMeter('CP-2').dataset(1, '2025-06-01T10:00:00')); // another station
  return { ledger, store, meter, key };
}

describe('evidence bundle', () => {
  let bundle: EvidenceBundle;
  let key: LedgerSigningKey;
  let foreign: EvidenceBundle; // the same station's history in another ledger, under another key
  beforeAll(async () => {
    const s = await stationLedger();
    key = s.key;
    bundle = await exportBundle(s.ledger, { stationId: 'CP-1' }, () => '2025-06-02T00:00:00.000Z');
    foreign = await exportBundle((await stationLedger()).ledger, { stationId: 'CP-1' });
  });

  it('exports every stream of the station with its chain and proof, packets in pagination order, and verifies', () => {
    const verdict = verifyBundle(clone(bundle), { ledgerKey: key.publicKey });
    expect(verdict).toEqual({ ok: true, origin: 'ledger key given', checked: { streams: 4, events: 10, packets: 5, signatures: 5, keys: 1, metrologyLogEntries: 1, afterCheckpoint: null } });
    const lines = bundle.packets.ndjson.trim().split('\n').map((l) => JSON.parse(l) as { counter: string; type: string });
    expect(lines.map((l) => [l.counter, l.type])).toEqual([
      ['1', 'DatasetRecorded'],
      ['2', 'DatasetRecorded'],
      ['3', 'DatasetRecorded'],
      ['3', 'ConflictReceived'],
      ['5', 'DatasetRecorded'],
    ]);
    expect(bundle.packets.safeXml.match(/<value /g)).toHaveLength(5);
    const [k] = bundle.completeness.keys;
    expect(k).toMatchObject({ counterRange: { from: '1', to: '5' }, packets: 5, openGaps: [{ from: '4', to: '4' }] });
    expect(k.duplicates.map((d) => d.counter)).toEqual(['2']);
    expect(k.conflicts.map((d) => d.counter)).toEqual(['3']);
    expect(bundle.completeness.rejections).toMatchObject([{ code: 'invalid-signature', reason: 'signature does not match' }]);
    expect(bundle.streams.map((s) => s.streamId).every((id) => !id.includes('CP-2'))).toBe(true);
  });

  it('keeps only the period: packets by their signed time, the rest of the chain whole', async () => {
    const s = await stationLedger();
    const b = await exportBundle(s.ledger, { stationId: 'CP-1', from: '2025-06-02T00:00:00Z', to: '2025-06-04T00:00:00Z' });
    expect(verifyBundle(clone(b), { ledgerKey: s.key.publicKey }).ok).toBe(true);
    expect(b.completeness.keys[0].counterRange).toEqual({ from: '2', to: '3' });
    expect(verifyBundle({ ...clone(b), period: {} }, { ledgerKey: s.key.publicKey })).toMatchObject({ ok: false, part: 'packets (NDJSON)' });
  });

  const tampered: [string, (b: EvidenceBundle) => void, string | RegExp][] = [
    ['drop a packet', (b) => (b.packets.ndjson = b.packets.ndjson.split('\n').filter((_, i) => i !== 1).join('\n')), 'packets (NDJSON)'],
    ['reorder two packets', (b) => { const l = b.packets.ndjson.split('\n'); [l[0], l[1]] = [l[1], l[0]]; b.packets.ndjson = l.join('\n'); }, 'packets (NDJSON)'],
    ['alter one byte of a packet', (b) => (b.packets.ndjson = b.packets.ndjson.replace('2.75', '2.76')), 'packets (NDJSON)'],
    ['alter one byte of the SAFE XML', (b) => (b.packets.safeXml = b.packets.safeXml.replace('2.75', '2.76')), 'packets (SAFE XML)'],
    ['drop a packet and its event', (b) => b.streams[1].events.splice(1, 1), /^stream /],
    ['alter one byte of a stored event', (b) => (b.streams[1].events[0].dataText = b.streams[1].events[0].dataText.replace('2.75', '2.76')), /^stream /],
    ['swap two events', (b) => { const e = b.streams[1].events; [e[1], e[2]] = [e[2], e[1]]; }, /^stream /],
    ['drop the newest events (an old head)', (b) => { b.streams[1].events.pop(); }, /^stream /],
    ['swap the checkpoint for another ledger\'s', (b) => (b.checkpoint = foreign.checkpoint), 'checkpoint'],
    ['swap the checkpoint and the ledger key for another ledger\'s', (b) => { b.checkpoint = foreign.checkpoint; b.ledgerKey = foreign.ledgerKey; }, 'ledger key'],
    ['alter the checkpoint', (b) => (b.checkpoint.statement.treeSize += 1), 'checkpoint'],
    ['remove a gap from the completeness statement', (b) => (b.completeness.keys[0].openGaps = []), 'completeness statement'],
    ['hide a rejection', (b) => b.completeness.rejections.pop(), 'completeness statement'],
    ['edit the key history', (b) => (b.keyHistory[0].validFrom = '2024-01-01T00:00:00Z'), 'key history'],
    ['edit the metrology log', (b) => (b.metrologyLog[0].event = 'Nothing'), 'metrology log'],
    ['drop the key stream', (b) => b.streams.splice(0, 1), 'streams'],
    ['change the export time', (b) => (b.exportedAt = '2030-01-01T00:00:00.000Z'), 'bundle signature'],
  ];
  it.each(tampered)('catches: %s', (_name, tamper, part) => {
    const b = clone(bundle);
    tamper(b);
    const v = verifyBundle(b, { ledgerKey: key.publicKey });
    expect(v.ok).toBe(false);
    if (!v.ok) expect(v.part).toMatch(part);
  });

  it('catches a checkpoint swapped for an older one of the same ledger (the heads are not in its tree)', async () => {
    const s = await stationLedger();
    const older = await s.ledger.checkpoints.checkpoint();
    await s.ledger.recordDataset(s.meter.dataset(6, '2025-06-06T10:00:00'));
    const b = await exportBundle(s.ledger, { stationId: 'CP-1' });
    const v = verifyBundle({ ...clone(b), checkpoint: older }, { ledgerKey: s.key.publicKey });
    expect(v).toMatchObject({ ok: false, part: expect.stringMatching(/^stream /), problem: expect.stringMatching(/inclusion proof|not the head/) });
  });

  it('alters any one character of the document: never verifies', () => {
    const text = JSON.stringify(bundle);
    fc.assert(
      fc.property(fc.nat(text.length - 1), fc.constantFrom('0', '1', 'a', 'Z', ' ', '"', '}'), (at, c) => {
        fc.pre(text[at] !== c);
        let parsed: unknown;
        try {
          parsed = JSON.parse(text.slice(0, at) + c + text.slice(at + 1));
        } catch {
          return true; // no longer JSON: refused before any check
        }
        return verifyBundle(parsed, { ledgerKey: key.publicKey }).ok === false;
      }),
      { numRuns: 300 },
    );
  });

  it('catches a packet whose OCMF signature does not hold, even when the ledger recorded it', async () => {
    const s = await stationLedger();
    const d = s.meter.dataset(7, '2025-06-07T10:00:00');
    await s.ledger.recordDataset({ ...d, ocmf: d.ocmf.replace('"RV":2.75', '"RV":9.75') });
    const v = verifyBundle(clone(await exportBundle(s.ledger, { stationId: 'CP-1' })), { ledgerKey: s.key.publicKey });
    expect(v).toMatchObject({ ok: false, part: 'OCMF signature', problem: expect.stringMatching(/counter 7/) });
  });

  it('proves a newer bundle extends an older checkpoint or bundle; a rewritten past fails', async () => {
    const s = await stationLedger();
    const old = await exportBundle(s.ledger, { stationId: 'CP-1' });
    await s.ledger.recordDataset(s.meter.dataset(6, '2025-06-06T10:00:00'));
    await s.ledger.recordDataset(new SignedMeter('CP-3').dataset(1, '2025-06-06T10:00:00'));
    const m = old.checkpoint.statement.treeSize;
    const next = await exportBundle(s.ledger, { stationId: 'CP-1', afterTreeSize: m });
    expect(verifyBundle(clone(next), { ledgerKey: s.key.publicKey, after: old.checkpoint })).toMatchObject({ ok: true, checked: { afterCheckpoint: old.checkpoint.statement.sequence } });
    expect(verifyBundle(clone(next), { ledgerKey: s.key.publicKey, after: clone(old) }).ok).toBe(true);
    const without = await exportBundle(s.ledger, { stationId: 'CP-1' });
    expect(verifyBundle(clone(without), { ledgerKey: s.key.publicKey, after: old.checkpoint })).toMatchObject({ ok: false, part: 'consistency', problem: expect.stringMatching(/after=/) });

    // The same key signs another history (a ledger rebuilt with an edited past): its checkpoint is not extended.
    const forked = await stationLedger(s.key);
    await forked.ledger.recordDataset(forked.meter.dataset(9, '2025-06-09T10:00:00'));
    const forkedOld = await forked.ledger.checkpoints.checkpoint();
    const vs = await exportBundle(s.ledger, { stationId: 'CP-1', afterTreeSize: forkedOld.statement.treeSize });
    expect(verifyBundle(clone(vs), { ledgerKey: s.key.publicKey, after: forkedOld })).toMatchObject({ ok: false, part: 'consistency' });
  });

  it('without the ledger key, says the origin was not checked', () => {
    expect(verifyBundle(clone(bundle))).toMatchObject({ ok: true, origin: 'key inside the bundle only' });
    expect(verifyBundle({ nope: 1 })).toMatchObject({ ok: false, part: 'format' });
  });
});
