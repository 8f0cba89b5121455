import { Ledger, SqliteEventStore, type VerifiedDataset } from '@metrology-ledger/ledger';
import { SessionProjector } from './SessionProjector';
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
    const store = new SqliteEventStore(':memory:');
    const ledger = new Ledger(store);
    const sessions = new SessionReadModel();
    const projector = new SessionProjector(store, sessions);
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
});
