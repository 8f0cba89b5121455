import { movedOffsets } from './movedOffsets';

describe('movedOffsets', () => {
  it('finds nothing between the same offsets listed in another order', () => {
    expect(movedOffsets(new Map([['a/0', '5'], ['b/1', '-1']]), new Map([['b/1', '-1'], ['a/0', '5']]))).toEqual([]);
  });

  it('takes a partition left out of a snapshot for one with no commit (-1)', () => {
    expect(movedOffsets(new Map([['a/0', '5']]), new Map([['a/0', '5'], ['faults/0', '-1'], ['faults/1', '-1']]))).toEqual([]);
    expect(movedOffsets(new Map([['a/0', '5'], ['faults/0', '-1']]), new Map([['a/0', '5']]))).toEqual([]);
  });

  it('names every partition whose offset moved, a commit that appeared or one that went, in order', () => {
    expect(movedOffsets(new Map([['b/0', '7'], ['a/0', '5']]), new Map([['a/0', '6'], ['b/0', '7'], ['c/2', '3']]))).toEqual(['a/0: 5 -> 6', 'c/2: -1 -> 3']);
    expect(movedOffsets(new Map([['a/0', '5']]), new Map())).toEqual(['a/0: 5 -> -1']);
  });
});
