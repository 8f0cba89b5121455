import { projectDataset, withConflict } from '../../domain/projectSession';
import { SessionReadModel } from '../../readmodel/SessionReadModel';
import { SignedTestStation } from '../../testing/SignedTestStation';
import { SessionChangeFeed } from './SessionChangeFeed';

const station = new SignedTestStation('CP-1');
const view = (counter: string) => projectDataset({ type: 'DatasetRecorded', data: station.dataset(counter, { emspId: 'DE-EMP' }) } as never, 'stream-1', '2025-06-01T11:00:02Z').view;

describe('SessionChangeFeed', () => {
  it('notes sessions written in conflict and transactions given a token, once each, and hands them over once', async () => {
    const store = new SessionReadModel(':memory:');
    const feed = new SessionChangeFeed();
    const watched = feed.watch(store);
    await watched.upsert(view('1'));
    await watched.upsert(view('2'));
    const conflicting = station.dataset('2', { emspId: 'DE-EMP', variant: 'OTHER' });
    const inConflict = withConflict(view('2'), { type: 'ConflictReceived', data: { counter: '2', ocmf: conflicting.ocmf, receipt: conflicting.receipt } } as never);
    expect(inConflict.status).toBe('conflict');
    await watched.upsert(inConflict);
    await watched.upsert(inConflict);
    await watched.assignTransactionToken('CP-1', 'tx-9', { uid: 'A1B2C3D4', type: null, source: 'ocpp' }, { emspId: null, emspSource: null });
    // Everything else passes through to the store.
    expect((await watched.get('stream-1', '2'))?.status).toBe('conflict');
    expect(await watched.count()).toBe(2);
    expect(feed.take()).toEqual({ sessions: [{ streamId: 'stream-1', counter: '2' }], transactions: [{ stationId: 'CP-1', transactionId: 'tx-9' }], owners: [] });
    expect(feed.take()).toEqual({ sessions: [], transactions: [], owners: [] });
    await store.close();
  });

  it('notes sessions written in a batch the same way, and the eMSPs that registered a token (not a withdrawal)', async () => {
    const store = new SessionReadModel(':memory:');
    const feed = new SessionChangeFeed();
    const watched = feed.watch(store);
    const conflicting = station.dataset('4', { emspId: 'DE-EMP', variant: 'OTHER' });
    const inConflict = withConflict(view('4'), { type: 'ConflictReceived', data: { counter: '4', ocmf: conflicting.ocmf, receipt: conflicting.receipt } } as never);
    await watched.upsertMany([view('3'), inConflict]);
    const token = { uid: 'A1B2C3D4', tokenType: 'RFID', contractId: null, changedBy: 'operator', changedAt: '2026-01-01T00:00:00Z' };
    await watched.saveToken({ ...token, emspId: 'DE-EMP', status: 'registered' });
    await watched.saveToken({ ...token, emspId: 'DE-OTHER', status: 'withdrawn' });
    expect(await watched.count()).toBe(2);
    expect(feed.take()).toEqual({ sessions: [{ streamId: 'stream-1', counter: '4' }], transactions: [], owners: ['DE-EMP'] });
    await store.close();
  });
});
