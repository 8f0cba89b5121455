import { crossCheckSeqNoGap, type SeqNoFrame } from './crossCheckSeqNoGap';

const K = 'aa01';
const frame = (seqNo: number | bigint, ...counters: (number | bigint)[]): SeqNoFrame => ({ seqNo: BigInt(seqNo), datasets: counters.map((c) => ({ publicKey: K, counter: BigInt(c) })) });
const noGaps = () => [];

describe('crossCheckSeqNoGap: missing OCPP seqNos against the pagination counters', () => {
  it('given consecutive counters around the missing seqNos, then the lost messages carried no reading', () => {
    const e = crossCheckSeqNoGap({ from: '2', to: '3' }, [frame(0), frame(1, 10), frame(4, 11), frame(5)], noGaps);
    expect(e).toMatchObject({ from: '2', to: '3', verdict: 'no-reading-lost', reason: expect.stringContaining('counter 10 (seqNo 1) and 11 (seqNo 4) are consecutive') });
  });

  it('given counters between them that the ledger lacks too, then the lost messages carried readings, and which', () => {
    const e = crossCheckSeqNoGap({ from: '2', to: '2' }, [frame(1, 10), frame(3, 13)], () => [{ from: '11', to: '12' }]);
    expect(e).toEqual({ from: '2', to: '2', verdict: 'readings-lost', publicKey: K, missingCounters: [{ from: '11', to: '12' }], reason: expect.stringContaining('counters 11-12 are missing') });
  });

  it('given counters between them that arrived in other messages, then no reading is lost', () => {
    expect(crossCheckSeqNoGap({ from: '2', to: '2' }, [frame(1, 10), frame(3, 13)], noGaps)).toMatchObject({ verdict: 'no-reading-lost', reason: expect.stringContaining('arrived in other messages') });
  });

  it('lists only the part of a counter gap between the two readings', () => {
    const e = crossCheckSeqNoGap({ from: '2', to: '2' }, [frame(1, 10), frame(3, 20)], () => [{ from: '5', to: '12' }, { from: '15', to: '15' }, { from: '19', to: '30' }]);
    expect(e).toMatchObject({ verdict: 'readings-lost', missingCounters: [{ from: '11', to: '12' }, { from: '15', to: '15' }, { from: '19', to: '19' }] });
  });

  it.each([
    ['no reading before', [frame(3, 13)], /before/],
    ['no reading after', [frame(1, 10), frame(3)], /after/],
    ['another key after', [frame(1, 10), { seqNo: 3n, datasets: [{ publicKey: 'bb02', counter: 1n }] }], /different keys/],
    ['counters that do not increase', [frame(1, 10), frame(3, 9)], /do not increase/],
  ])('given %s, then undetermined, and why', (_, frames, reason) => {
    expect(crossCheckSeqNoGap({ from: '2', to: '2' }, frames as SeqNoFrame[], noGaps)).toMatchObject({ verdict: 'undetermined', reason: expect.stringMatching(reason) });
  });

  it('answers at once for seqNos and counters far beyond 2^53', () => {
    const big = 2n ** 70n;
    const e = crossCheckSeqNoGap({ from: String(big + 1n), to: String(big * 2n) }, [frame(big, big), frame(big * 2n + 1n, big * 3n)], () => [{ from: String(big + 1n), to: String(big * 3n - 1n) }]);
    expect(e).toMatchObject({ verdict: 'readings-lost', missingCounters: [{ from: String(big + 1n), to: String(big * 3n - 1n) }] });
  });
});
