import { deciderSpecification } from '../testing/deciderSpecification';
import type { DatasetRejected } from './LedgerEvent';
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
