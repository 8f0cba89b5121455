import fc from 'fast-check';
import { DatasetStreamState } from './DatasetStreamState';
import { decideDataset, type VerifiedDataset } from './decideDataset';
import type { LedgerEvent } from './LedgerEvent';

const base = (counter: number, bytes = 'a', messageId = `m-${counter}-${bytes}-${Math.random()}`): VerifiedDataset => ({
  stationId: 'CP-1',
  publicKey: 'k',
  paginationContext: 'T',
  counter: String(counter),
  pagination: `T${counter}`,
  ocmf: `OCMF|{"PG":"T${counter}","x":"${bytes}"}|{}`,
  payloadSha256: `${counter}:${bytes}`,
  verification: { verdict: 'valid', reason: 'ok', verifier: 'test', verifiedAt: 't' },
  receipt: { messageId, receivedAt: 't', source: 'test' },
});

function feed(records: VerifiedDataset[]): { state: DatasetStreamState; events: LedgerEvent[] } {
  const state = new DatasetStreamState();
  const events: LedgerEvent[] = [];
  for (const r of records) {
    for (const e of decideDataset(state, r)) {
      state.apply(e);
      events.push(e);
    }
  }
  return { state, events };
}

describe('decideDataset', () => {
  it('records in order without gaps', () => {
    const { events, state } = feed([base(1), base(2), base(3)]);
    expect(events.map((e) => e.type)).toEqual(['DatasetRecorded', 'DatasetRecorded', 'DatasetRecorded']);
    expect(state.openGaps()).toEqual([]);
  });

  it('opens a gap for skipped counters and closes it when the late dataset arrives', () => {
    const { events, state } = feed([base(1), base(4), base(2)]);
    expect(events.map((e) => e.type)).toEqual(['DatasetRecorded', 'GapOpened', 'DatasetRecorded', 'DatasetRecorded', 'GapClosed']);
    expect(events[1]).toMatchObject({ data: { from: '2', to: '3' } });
    expect(state.openGaps()).toEqual([3n]);
  });

  it('counts from 1: a first dataset with counter 3 leaves 1 and 2 missing', () => {
    const { events } = feed([base(3)]);
    expect(events[0]).toMatchObject({ type: 'GapOpened', data: { from: '1', to: '2' } });
  });

  it('flags same counter + same bytes as a duplicate, other bytes as a conflict, keeping both', () => {
    const { events, state } = feed([base(1, 'a'), base(1, 'a'), base(1, 'b'), base(1, 'b')]);
    expect(events.map((e) => e.type)).toEqual(['DatasetRecorded', 'DuplicateReceived', 'ConflictReceived', 'DuplicateReceived']);
    expect(state.held.get(1n)).toEqual(['1:a', '1:b']);
  });

  it('does nothing for a message it already processed (redelivery)', () => {
    const r = base(1, 'a', 'same-message');
    const { events } = feed([r, r, { ...r }]);
    expect(events.map((e) => e.type)).toEqual(['DatasetRecorded']);
  });

  it('ends in the same gaps, duplicates and conflicts whatever the delivery order', () => {
    const record = fc.record({ counter: fc.integer({ min: 1, max: 30 }), variant: fc.constantFrom('a', 'a', 'a', 'b') });
    fc.assert(
      fc.property(fc.array(record, { minLength: 1, maxLength: 60 }).chain((rs) => fc.tuple(fc.constant(rs), fc.shuffledSubarray(rs, { minLength: rs.length, maxLength: rs.length }))), ([inOrder, shuffled]) => {
        const mk = (rs: { counter: number; variant: string }[]) => rs.map((r, i) => base(r.counter, r.variant, `msg-${i}-${r.counter}-${r.variant}`));
        const summary = (events: LedgerEvent[], state: DatasetStreamState) => {
          const count = (t: string) =>
            events
              .filter((e) => e.type === t)
              .map((e) => (e.data as { counter: string }).counter)
              .sort();
          return { gaps: state.openGaps(), duplicates: count('DuplicateReceived'), conflicts: count('ConflictReceived'), held: [...state.held.keys()].sort((a, b) => Number(a - b)) };
        };
        const a = feed(mk(inOrder));
        const b = feed(mk(shuffled));
        expect(summary(b.events, b.state)).toEqual(summary(a.events, a.state));
      }),
      { numRuns: 500 },
    );
  });
});
