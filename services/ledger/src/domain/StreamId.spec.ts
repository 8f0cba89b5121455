import fc from 'fast-check';
import { parseStreamId, streamPrefix, StreamId, STREAM_KINDS } from './StreamId';

describe('stream names', () => {
  it('never let one station id be a prefix of another station\'s streams', () => {
    const ids = fc.string({ minLength: 1, maxLength: 12 });
    fc.assert(
      fc.property(ids, ids, (a, b) => {
        fc.pre(a !== b);
        const streamOfB = StreamId.datasets(b, 'k', 'T');
        expect(streamOfB.startsWith(streamPrefix('datasets', a))).toBe(false);
        for (const kind of STREAM_KINDS.filter((k) => k !== 'datasets')) {
          const name = kind === 'keys' ? StreamId.keys(b) : kind === 'rejections' ? StreamId.rejections(b) : kind === 'metrology' ? StreamId.metrologyLog(b) : kind === 'faults' ? StreamId.faults(b) : kind === 'history' ? StreamId.history(b) : StreamId.station(b);
          expect(name).not.toBe(streamPrefix(kind, a));
        }
      }),
    );
  });

  it('keeps CP-1 and CP-1-2 apart (the case an outside probe found)', () => {
    expect(StreamId.datasets('CP-1-2', 'k', 'T').startsWith(streamPrefix('datasets', 'CP-1'))).toBe(false);
    expect(StreamId.datasets('CP-1', 'k', 'T').startsWith(streamPrefix('datasets', 'CP-1'))).toBe(true);
  });

  it('reads back the kind and station of every name it builds, whatever the id holds', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 20 }), (id) => {
        expect(parseStreamId(StreamId.datasets(id, 'k', 'F/x'))).toEqual({ kind: 'datasets', stationId: id });
        expect(parseStreamId(StreamId.rejections(id))).toEqual({ kind: 'rejections', stationId: id });
        expect(parseStreamId(StreamId.history(id))).toEqual({ kind: 'history', stationId: id });
      }),
    );
    expect(parseStreamId('datasets-CP-1-abc-T')).toBeUndefined();
    expect(parseStreamId(StreamId.unattributedRejections())).toBeUndefined();
  });
});
