import { chainHash, GENESIS_HASH, Ledger, SqliteEventStore, type VerifiedDataset } from '@metrology-ledger/ledger';
import { OUT_OF_RANGE_VALUE } from '../domain/projectSession';
import { SignedTestStation } from '../testing/SignedTestStation';
import { rebuildReadModels } from './rebuildReadModels';
import { SessionProjector, type ProjectionProblem } from './SessionProjector';
import { SessionReadModel } from './SessionReadModel';

const ds = (counter: number, bytes = 'a'): VerifiedDataset => ({
  stationId: 'CP-1',
  publicKey: 'abcd',
  paginationContext: 'T',
  counter: String(counter),
  pagination: `T${counter}`,
  transactionId: `tx${counter}`,
  emspId: 'E',
  ocmf: `OCMF|{"PG":"T${counter}","b":"${bytes}"}|{}`,
  payloadSha256: `${counter}${bytes}`,
  verification: { verdict: 'valid', reason: 'ok', verifier: 'test', verifiedAt: 't' },
  receipt: { messageId: `m${counter}${bytes}`, receivedAt: 't', source: 'test' },
});

describe('SessionProjector', () => {
  it('applies only what was appended since the last catch-up, conflicts included', async () => {
    const ledger = new Ledger(new SqliteEventStore(':memory:'));
    const sessions = new SessionReadModel();
    const projector = new SessionProjector(ledger, sessions);
    await ledger.recordDataset(ds(1));
    await ledger.recordDataset(ds(2));
    expect(await projector.catchUp()).toBe(2);
    expect(await projector.catchUp()).toBe(0);
    await ledger.recordDataset(ds(3));
    await ledger.recordDataset(ds(2, 'b'));
    expect(await projector.catchUp()).toBe(2);
    expect(await sessions.count()).toBe(3);
    expect((await sessions.byTransaction('tx2'))[0]).toMatchObject({ status: 'conflict', conflictingOcmf: [expect.stringContaining('"b":"b"')] });
  });

  it('projects a validly signed dataset with RV 1e400 as a session without energy, and goes on with the next ones', async () => {
    const ledger = new Ledger(new SqliteEventStore(':memory:'));
    const station = new SignedTestStation('CP-RV');
    await ledger.recordDataset(station.dataset('1'));
    await ledger.recordDataset(station.dataset('2', { endValue: '1e400' }));
    await ledger.recordDataset(station.dataset('3'));
    const sessions = new SessionReadModel();
    const problems: ProjectionProblem[] = [];
    expect(await rebuildReadModels(ledger, sessions, undefined, (p) => problems.push(p))).toBe(3);
    const [bad] = await sessions.byTransaction('CP-RV-tx-2');
    // libs/ocmf may report the value itself (a finding) or hand it over as Infinity; either way no figure.
    expect(bad).toMatchObject({ counter: '2', energy: null, energyWithheld: expect.stringMatching(/\w/), verdict: 'valid', endTime: '2025-06-01T11:00:00.000Z' });
    expect((await sessions.byTransaction('CP-RV-tx-3'))[0]).toMatchObject({ energy: '1.25', energyWithheld: null });
    expect(problems.every((p) => p.problem === OUT_OF_RANGE_VALUE)).toBe(true);
  });

  it('skips a stored DatasetRecorded that is not an object (written by an older version), reporting it, and projects the rest', async () => {
    const store = new SqliteEventStore(':memory:');
    const ledger = new Ledger(store);
    const station = new SignedTestStation('CP-OLD');
    await ledger.recordDataset(station.dataset('1'));
    const [streamId] = await ledger.datasetStreams('CP-OLD');
    const head = (await ledger.read(streamId, 0, 10)).events.at(-1)!;
    for (const [i, dataText] of ['"just text"', '{"stationId":"CP-OLD","counter":7,"ocmf":42}'].entries()) {
      const revision = head.revision + 1 + i;
      const prev = i === 0 ? head.hash : chainHash(head.hash, streamId, head.revision + 1, 'DatasetRecorded', '"just text"');
      await store.append(streamId, revision - 1, [{ type: 'DatasetRecorded', dataText, recordedAt: 't', prevHash: prev, hash: chainHash(prev, streamId, revision, 'DatasetRecorded', dataText) }]);
    }
    const sessions = new SessionReadModel();
    const problems: ProjectionProblem[] = [];
    const projector = new SessionProjector(ledger, sessions, (p) => problems.push(p));
    await expect(projector.catchUp()).resolves.toBe(2);
    expect(await sessions.get(streamId, '7')).toMatchObject({ energy: null, ocmf: '', energyWithheld: expect.any(String) });
    expect(problems.map((p) => p.problem)).toEqual([expect.stringMatching(/skipped/), expect.stringMatching(/no OCMF text/)]);
    expect(GENESIS_HASH).toHaveLength(64);
  });
});
