import { deciderSpecification } from '../testing/deciderSpecification';
import type { DatasetRejected, MetrologyLogEntryRecorded } from './LedgerEvent';
import { messageStream } from './messageStream';

const rejection = (messageId: string, raw: string, messageSha256?: string): DatasetRejected => ({
  type: 'DatasetRejected',
  data: { stationId: 'CP-1', reason: 'r', code: 'bad-message', raw, receipt: { messageId, receivedAt: 't', source: 's', ...(messageSha256 ? { messageSha256 } : {}) } },
});
const given = deciderSpecification(messageStream);

describe('message stream decider (rejections, metrology log, faults)', () => {
  it('records a new message', () => given([]).when(rejection('m1', 'x')).then([rejection('m1', 'x')]));
  it('skips a redelivery: same id, same content', () => given([rejection('m1', 'x', 'h')]).when(rejection('m1', 'x', 'h')).thenNothingHappened());
  it('skips a redelivery recorded before receipts carried the message hash', () => given([rejection('m1', 'x')]).when(rejection('m1', 'x')).thenNothingHappened());
  it('records the same id with other content', () => given([rejection('m1', 'x', 'h1')]).when(rejection('m1', 'y', 'h2')).then([rejection('m1', 'y', 'h2')]));
});

const entry = (messageId: string, seq: number, text: string, extra: Partial<MetrologyLogEntryRecorded['data']> = {}): MetrologyLogEntryRecorded => ({
  type: 'MetrologyLogEntryRecorded',
  data: {
    stationId: 'CP-1',
    seq,
    time: '2025-01-01T00:00:00Z',
    event: 'MeterTestPassed',
    signedText: text,
    signature: `sig-${messageId}`,
    verification: { verdict: 'valid', reason: 'ok', verifier: 'v', verifiedAt: 't' },
    receipt: { messageId, receivedAt: 't', source: 's' },
    ...extra,
  },
});

describe('message stream decider, metrology log by seq', () => {
  it('records a first entry for a seq unmarked', () => given([entry('m1', 1, 'A')]).when(entry('m2', 2, 'B')).then([entry('m2', 2, 'B')]));
  it('marks the same signed entry under another message id as a repeat of the first', () =>
    given([entry('m1', 1, 'A')]).when(entry('m2', 1, 'A')).then([entry('m2', 1, 'A', { repeatOf: 'm1' })]));
  it('marks another signed text under a seq already held as a conflict, naming every other text', () =>
    given([entry('m1', 1, 'A'), entry('m2', 1, 'B', { seqConflictWith: ['m1'] })])
      .when(entry('m3', 1, 'C'))
      .then([entry('m3', 1, 'C', { seqConflictWith: ['m1', 'm2'] })]));
  it('marks a repeat of one text of a conflicting seq as both', () =>
    given([entry('m1', 1, 'A'), entry('m2', 1, 'B', { seqConflictWith: ['m1'] })])
      .when(entry('m3', 1, 'B'))
      .then([entry('m3', 1, 'B', { repeatOf: 'm2', seqConflictWith: ['m1'] })]));
  it("replaces marks a caller sent: they are the ledger's", () =>
    given([]).when(entry('m1', 7, 'A', { repeatOf: 'forged', seqConflictWith: ['forged'] })).then([entry('m1', 7, 'A')]));
  it('still skips a redelivery of the same message', () => given([entry('m1', 1, 'A')]).when(entry('m1', 1, 'A')).thenNothingHappened());
});
