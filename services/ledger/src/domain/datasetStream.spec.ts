import fc from 'fast-check';
import { deciderSpecification } from '../testing/deciderSpecification';
import { datasetStream, openGapRanges, type DatasetStreamEvent, type VerifiedDataset } from './datasetStream';

const ds = (counter: number | string, bytes = 'a', messageId = `m-${counter}-${bytes}`, messageSha256?: string): VerifiedDataset => ({
  stationId: 'CP-1',
  publicKey: 'k',
  paginationContext: 'T',
  counter: String(counter),
  pagination: `T${counter}`,
  ocmf: `OCMF|{"PG":"T${counter}","x":"${bytes}"}|{}`,
  payloadSha256: `${counter}:${bytes}`,
  verification: { verdict: 'valid', reason: 'ok', verifier: 'test', verifiedAt: 't' },
  receipt: { messageId, receivedAt: 't', source: 'test', ...(messageSha256 ? { messageSha256 } : {}) },
});
const recorded = (d: VerifiedDataset): DatasetStreamEvent => ({ type: 'DatasetRecorded', data: d });
const key = { stationId: 'CP-1', publicKey: 'k' };
const given = deciderSpecification(datasetStream);

function fold(records: VerifiedDataset[]) {
  let state = datasetStream.initialState();
  const events: DatasetStreamEvent[] = [];
  for (const r of records) {
    for (const e of datasetStream.decide(r, state)) {
      state = datasetStream.evolve(state, e);
      events.push(e);
    }
  }
  return { state, events };
}

describe('dataset stream decider', () => {
  it('records the next counter', () => given([recorded(ds(1))]).when(ds(2)).then([recorded(ds(2))]));

  it('opens one gap range for skipped counters', () =>
    given([recorded(ds(1))])
      .when(ds(4))
      .then([{ type: 'GapOpened', data: { ...key, from: '2', to: '3', detectedBy: 'm-4-a' } }, recorded(ds(4))]));

  it('counts from 1: a first dataset with counter 3 leaves 1 and 2 missing', () =>
    given([]).when(ds(3)).then([{ type: 'GapOpened', data: { ...key, from: '1', to: '2', detectedBy: 'm-3-a' } }, recorded(ds(3))]));

  it('closes a gap when the late dataset arrives', () =>
    given([recorded(ds(1)), recorded(ds(4))])
      .when(ds(2))
      .then([recorded(ds(2)), { type: 'GapClosed', data: { ...key, counter: '2', messageId: 'm-2-a' } }]));

  it('flags same counter and bytes as a duplicate', () =>
    given([recorded(ds(1, 'a', 'first'))])
      .when(ds(1, 'a', 'second'))
      .then([{ type: 'DuplicateReceived', data: { ...key, counter: '1', payloadSha256: '1:a', receipt: ds(1, 'a', 'second').receipt } }]));

  it('flags same counter with other bytes as a conflict, naming what it conflicts with', () => {
    const [e] = datasetStream.decide(ds(1, 'b', 'other'), fold([ds(1, 'a')]).state);
    expect(e).toMatchObject({ type: 'ConflictReceived', data: { counter: '1', conflictsWith: ['1:a'], ocmf: ds(1, 'b').ocmf } });
  });

  it('does nothing for a redelivered message (same id, same content)', () => given([recorded(ds(1, 'a', 'same', 'h1'))]).when(ds(1, 'a', 'same', 'h1')).thenNothingHappened());

  it('decides a message that reuses an id with other content like any other: it is never dropped', () =>
    given([recorded(ds(1, 'a', 'same', 'h1'))])
      .when(ds(2, 'a', 'same', 'h2'))
      .then([recorded(ds(2, 'a', 'same', 'h2'))]));

  it('refuses a counter that is not a decimal integer, before anything is stored', () => {
    given([]).when(ds('12a')).thenThrows('counter');
    given([]).when(ds('1'.repeat(201))).thenThrows('counter');
  });

  it('keeps a 61-digit counter as one gap range, in time that does not depend on its value', () => {
    const huge = `1${'0'.repeat(60)}`;
    const { state, events } = fold([ds(1), ds(huge)]);
    expect(events[1]).toMatchObject({ type: 'GapOpened', data: { from: '2', to: (BigInt(huge) - 1n).toString() } });
    expect(openGapRanges(state)).toEqual([{ from: '2', to: (BigInt(huge) - 1n).toString() }]);
  });

  it('ends in the same gaps, duplicates and conflicts whatever the delivery order', () => {
    const record = fc.record({ counter: fc.integer({ min: 1, max: 30 }), variant: fc.constantFrom('a', 'a', 'a', 'b') });
    fc.assert(
      fc.property(
        fc.array(record, { minLength: 1, maxLength: 60 }).chain((rs) => fc.tuple(fc.constant(rs), fc.shuffledSubarray(rs, { minLength: rs.length, maxLength: rs.length }))),
        ([inOrder, shuffled]) => {
          const mk = (rs: { counter: number; variant: string }[]) => rs.map((r, i) => ds(r.counter, r.variant, `msg-${i}-${r.counter}-${r.variant}`));
          const summary = ({ events, state }: ReturnType<typeof fold>) => {
            const count = (t: string) =>
              events
                .filter((e) => e.type === t)
                .map((e) => (e.data as { counter: string }).counter)
                .sort();
            return { gaps: openGapRanges(state), duplicates: count('DuplicateReceived'), conflicts: count('ConflictReceived'), held: [...state.held.keys()].sort((a, b) => Number(a - b)) };
          };
          expect(summary(fold(mk(shuffled)))).toEqual(summary(fold(mk(inOrder))));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('gap ranges equal the counters missing below the highest, for any set of counters', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 1, max: 200 }), { minLength: 1, maxLength: 50 }), (counters) => {
        const { state } = fold(counters.map((c) => ds(c)));
        const expanded = openGapRanges(state).flatMap((r) => Array.from({ length: Number(r.to) - Number(r.from) + 1 }, (_, i) => Number(r.from) + i));
        const highest = Math.max(...counters);
        expect(expanded).toEqual(Array.from({ length: highest }, (_, i) => i + 1).filter((c) => !counters.includes(c)));
      }),
    );
  });

  it('holds counters delivered in order as one range, and one more per gap', () => {
    const { state } = fold([...Array.from({ length: 300 }, (_, i) => ds(i + 1)), ds(400)]);
    expect(state.held.ranges()).toEqual([
      { from: '1', to: '300' },
      { from: '400', to: '400' },
    ]);
    expect(state.payloads.get(7n)).toEqual(['7:a']);
  });
});
