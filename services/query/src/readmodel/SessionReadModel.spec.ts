import type { SessionView } from '../domain/SessionView';
import { SessionReadModel } from './SessionReadModel';
import { sessionStoreContract } from './sessionStoreContract';

sessionStoreContract('sqlite', async () => new SessionReadModel(':memory:'));

describe('SessionReadModel.station', () => {
  const view = (counter: number) => ({ stationId: 'CP-1', streamId: 's', counter: String(counter), emspId: 'A', transactionId: `t${counter}`, endTime: null, status: 'recorded', conflictingOcmf: [] }) as unknown as SessionView;

  it('reads more than one chunk in counter order, and lets the projector write while an export waits', async () => {
    const model = new SessionReadModel(':memory:');
    for (let c = 1; c <= 1203; c++) await model.upsert(view(c));
    const seen: string[] = [];
    for await (const s of model.station('CP-1')) {
      seen.push(s.counter);
      if (seen.length === 10) await model.upsert(view(5000));
    }
    expect(seen.slice(0, 3)).toEqual(['1', '2', '3']);
    expect(seen).toHaveLength(1204);
    expect(seen[seen.length - 1]).toBe('5000');
    await model.close();
  });
});
