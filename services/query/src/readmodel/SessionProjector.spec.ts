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

  it('when a page write fails, the catch-up fails and the next one projects that page again: the mark never passes an unwritten page', async () => {
    const ledger = new Ledger(new SqliteEventStore(':memory:'));
    const sessions = new SessionReadModel();
    let calls = 0;
    const failingOnce = new Proxy(sessions, {
      get(target, name) {
        if (name === 'upsertMany')
          return async (views: Parameters<SessionReadModel['upsertMany']>[0]) => {
            if (++calls === 2) throw new Error('disk full');
            return target.upsertMany(views);
          };
        const value = Reflect.get(target, name, target) as unknown;
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const projector = new SessionProjector(ledger, failingOnce);
    for (let c = 1; c <= 2500; c++) await ledger.recordDataset(ds(c));
    await expect(projector.catchUp()).rejects.toThrow('disk full');
    expect(await sessions.count()).toBeLessThan(2500);
    await projector.catchUp();
    expect(await sessions.count()).toBe(2500);
    expect(await projector.catchUp()).toBe(0);
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

describe('SessionProjector: the token and owner of a session from an OCPP station', () => {
  const receipt = (messageId: string) => ({ messageId, receivedAt: 't', source: 'test', messageSha256: 'f'.repeat(64) });
  const station = new SignedTestStation('CP-TOK');

  it('given the StartTransaction answer before its CALL, when the dataset comes, then the session has the CALL idTag, before or after the token facts', async () => {
    const ledger = new Ledger(new SqliteEventStore(':memory:'));
    const sessions = new SessionReadModel();
    const projector = new SessionProjector(ledger, sessions);
    // The dataset is projected first: it has the signed identification as token, and no eMSP.
    await ledger.recordDataset({ ...station.dataset('1', { transactionId: '77' }), emspId: undefined });
    await projector.catchUp();
    expect((await sessions.byTransaction('77'))[0]).toMatchObject({ token: { uid: 'A1B2C3D4', type: 'ISO14443', source: 'ocmf' }, emspId: null, emspSource: null });
    await ledger.recordTransactionFact({ type: 'OcppTransactionIdAssigned', data: { stationId: 'CP-TOK', ocppMessageId: 'm9', transactionId: '77', idTagStatus: 'Accepted', receipt: receipt('CP-TOK:m9:result') } });
    await ledger.recordTransactionFact({ type: 'OcppTransactionStarted', data: { stationId: 'CP-TOK', ocppMessageId: 'm9', idTag: 'DE-ABC-C12345678-X', connector: 1, meterStart: 0, timestamp: 't', receipt: receipt('CP-TOK:m9') } });
    await projector.catchUp();
    // The OCPP token (an EMAID by its form) wins over the signed ID and names its provider; the mismatch is flagged.
    expect((await sessions.byTransaction('77'))[0]).toMatchObject({
      token: { uid: 'DE-ABC-C12345678-X', type: null, source: 'ocpp' },
      emspId: 'DE-ABC',
      emspSource: 'emaid',
      tokenMismatch: expect.stringContaining('differs from the signed identification ID "A1B2C3D4"'),
    });
  });

  it('owns a 2.0.1 session by its typed eMAID idToken as soon as the dataset is projected, and a registration wins', async () => {
    const ledger = new Ledger(new SqliteEventStore(':memory:'));
    const sessions = new SessionReadModel();
    await ledger.recordTransactionFact({
      type: 'OcppTransactionEventRecorded',
      data: { stationId: 'CP-TOK', transactionId: 'tx-5', eventType: 'Started', seqNo: '0', triggerReason: 'Authorized', idToken: { idToken: 'DEXYZC98765432', type: 'eMAID' }, timestamp: 't', receipt: receipt('CP-TOK:e0') },
    });
    await ledger.recordDataset({ ...station.dataset('2', { transactionId: 'tx-5' }), emspId: undefined });
    await ledger.registerToken({ uid: 'dexyzc98765432', tokenType: 'OTHER', emspId: 'DE-OTHER', registeredBy: 'operator' });
    const projector = new SessionProjector(ledger, sessions);
    await projector.catchUp();
    expect((await sessions.byTransaction('tx-5'))[0]).toMatchObject({ token: { uid: 'DEXYZC98765432', type: 'eMAID' }, emspId: 'DE-OTHER', emspSource: 'registry' });
    await ledger.withdrawToken({ uid: 'DEXYZC98765432', by: 'operator' });
    await projector.catchUp();
    expect((await sessions.byTransaction('tx-5'))[0]).toMatchObject({ emspId: 'DE-XYZ', emspSource: 'emaid' });
  });
});
