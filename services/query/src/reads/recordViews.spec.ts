import type { LedgerEvent, RecordedEvent } from '@metrology-ledger/ledger';
import { conflictView, keyView, metrologyLogView, RAW_EXCERPT_CHARS, rejectionView } from './recordViews';

const recorded = (type: string, data: unknown, revision = 3): RecordedEvent => ({ streamId: 'rejections/CP-1', revision, recordedAt: 't', hash: 'h', prevHash: 'p', dataText: JSON.stringify(data), event: { type, data } as LedgerEvent });
const rejection = { stationId: 'CP-1', reason: 'bad', code: 'bad-message', raw: 'r'.repeat(1000), receipt: { messageId: 'm', receivedAt: 't', source: 's' } };

describe('record views', () => {
  it('keeps a rejection verbatim with its position, or gives excerpt, size and hash instead of the raw text', () => {
    expect(rejectionView(true)(recorded('DatasetRejected', rejection))).toMatchObject({ streamId: 'rejections/CP-1', revision: 3, raw: rejection.raw });
    const short = rejectionView(false)(recorded('DatasetRejected', rejection)) as Record<string, unknown>;
    expect(short).toMatchObject({ rawExcerpt: 'r'.repeat(RAW_EXCERPT_CHARS), rawBytes: 1000, rawTruncated: false, rawSha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(short.raw).toBeUndefined();
  });

  it('gives undefined for events of another type, and lists a record without a data object as unreadable', () => {
    expect(rejectionView(true)(recorded('GapOpened', {}))).toBeUndefined();
    expect(keyView(recorded('DatasetRejected', rejection))).toBeUndefined();
    for (const view of [rejectionView(true), rejectionView(false), keyView, conflictView, metrologyLogView]) {
      const type = view === keyView ? 'StationKeyRegistered' : view === conflictView ? 'ConflictReceived' : view === metrologyLogView ? 'MetrologyLogEntryRecorded' : 'DatasetRejected';
      expect(view(recorded(type, 'text'))).toEqual({ streamId: 'rejections/CP-1', revision: 3, unreadable: 'the stored record holds no data object' });
    }
  });

  it('reads the metadata of a metrology-log entry from its signed text, null when that does not read', () => {
    const entry = (signedText: string) => ({ stationId: 'CP-1', seq: 1, time: 't', event: 'ClockSync', signedText, signature: 'sig', verification: { verdict: 'valid' } });
    expect(metrologyLogView(recorded('MetrologyLogEntryRecorded', entry('{"metadata":{"udid":"u"}}')))).toMatchObject({ seq: 1, metadata: { udid: 'u' }, verdict: 'valid' });
    expect(metrologyLogView(recorded('MetrologyLogEntryRecorded', entry('not json')))).toMatchObject({ metadata: null });
  });

  it("shows the ledger's marks on a metrology-log entry: a repeat, and the other texts of its seq", () => {
    const entry = { stationId: 'CP-1', seq: 4, time: 't', event: 'ClockSync', signedText: '{}', signature: 'sig', verification: { verdict: 'valid' } };
    expect(metrologyLogView(recorded('MetrologyLogEntryRecorded', entry))).toMatchObject({ repeatOf: null, seqConflictWith: [] });
    expect(metrologyLogView(recorded('MetrologyLogEntryRecorded', { ...entry, repeatOf: 'm1', seqConflictWith: ['m0'] }))).toMatchObject({ repeatOf: 'm1', seqConflictWith: ['m0'] });
  });
});
