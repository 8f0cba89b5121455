import { deciderSpecification } from '../testing/deciderSpecification';
import type { OcppTransactionEventRecorded, OcppTransactionFact, OcppTransactionIdAssigned, OcppTransactionStarted } from './LedgerEvent';
import { seqNoGaps, transactionStream } from './transactionStream';

const given = deciderSpecification(transactionStream);
const receipt = (id: string, sha = 'a'.repeat(64)) => ({ messageId: id, receivedAt: '2025-01-01T00:00:00Z', source: 'test', messageSha256: sha });
const started: OcppTransactionStarted = {
  type: 'OcppTransactionStarted',
  data: { stationId: 'CP-1', ocppMessageId: 'm1', idTag: '04A1B2C3', connector: 1, meterStart: 100, timestamp: '2025-01-01T10:00:00Z', receipt: receipt('CP-1:m1') },
};
const assigned: OcppTransactionIdAssigned = {
  type: 'OcppTransactionIdAssigned',
  data: { stationId: 'CP-1', ocppMessageId: 'm1', transactionId: '4711', idTagStatus: 'Accepted', receipt: receipt('CP-1:m1:result', 'b'.repeat(64)) },
};
const event = (seqNo: string, id = `e${seqNo}`): OcppTransactionEventRecorded => ({
  type: 'OcppTransactionEventRecorded',
  data: { stationId: 'CP-2', transactionId: 'tx-1', eventType: 'Updated', seqNo, triggerReason: 'MeterValuePeriodic', timestamp: '2025-01-01T10:00:00Z', receipt: receipt(`CP-2:${id}`) },
});
const fold = (events: OcppTransactionFact[]) => events.reduce(transactionStream.evolve, transactionStream.initialState());

describe('transaction stream decider', () => {
  it('records a StartTransaction as the station claims it', () => given([]).when(started).then([started]));
  it('links the answer to its CALL by OCPP message id: the answer carries the idTag', () =>
    given([started]).when(assigned).then([{ ...assigned, data: { ...assigned.data, idTag: '04A1B2C3' } }]));
  it('links a CALL recorded after its answer: the CALL carries the transactionId', () =>
    given([assigned]).when(started).then([{ ...started, data: { ...started.data, transactionId: '4711' } }]));
  it('adds nothing for the same frame again (redelivery, resend)', () => given([started, assigned]).when(started).thenNothingHappened());
  it('records the same message id with other content (another frame)', () => {
    const other = { ...started, data: { ...started.data, idTag: 'FFEE', receipt: receipt('CP-1:m1', 'c'.repeat(64)) } };
    given([started]).when(other).then([other]);
  });
  it('refuses an idTag over 36 characters', () => given([]).when({ ...started, data: { ...started.data, idTag: 'x'.repeat(37) } }).thenThrows('ocpp-id'));
  it('refuses a seqNo that is not a non-negative integer', () => given([]).when(event('-1')).thenThrows('seq-no'));
  it('refuses a station id that breaks the rule', () => given([]).when({ ...started, data: { ...started.data, stationId: 'CP/1' } }).thenThrows('station-id'));
});

describe('seqNoGaps', () => {
  it('reports the seqNos missing from 0 to the highest seen, per transaction', () => {
    expect(seqNoGaps(fold([event('1'), event('4'), event('2')]))).toEqual([{ transactionId: 'tx-1', lowestSeqNo: '1', highestSeqNo: '4', gaps: [{ from: '0', to: '0' }, { from: '3', to: '3' }] }]);
  });
  it('reports nothing missing for a complete transaction, whatever the order', () => {
    expect(seqNoGaps(fold([event('2'), event('0'), event('1'), event('1', 'again')]))[0].gaps).toEqual([]);
  });
  it('answers a seqNo of 2^53 as one range, without walking it', () => {
    expect(seqNoGaps(fold([event('0'), event(String(2n ** 53n))]))[0].gaps).toEqual([{ from: '1', to: String(2n ** 53n - 1n) }]);
  });
});
