import { deciderSpecification } from '../testing/deciderSpecification';
import { keyStream } from './keyStream';
import { stationStream } from './stationStream';

const given = deciderSpecification(stationStream);
const base = { stationId: 'CP-X9', commissionedAt: '2025-01-01T00:00:00Z', recordedAt: '2025-01-02T00:00:00Z' };

describe('station stream decider (commissioning)', () => {
  it('records a valid record with only its known fields', () => {
    const command = { ...base, bnetzaNotifiedAt: '2025-01-05T00:00:00Z', extra: 'x' } as typeof base;
    given([]).when(command).then([{ type: 'StationCommissioningRecorded', data: { ...base, bnetzaNotifiedAt: '2025-01-05T00:00:00Z' } }]);
  });
  it('refuses a date that is not ISO 8601 (the probe stored "x" and broke compliance for everyone)', () => given([]).when({ ...base, commissionedAt: 'x' }).thenThrows('iso-8601'));
  it('refuses an optional date that is not ISO 8601', () => given([]).when({ ...base, authorityNotifiedAt: '2025-13-45' }).thenThrows('iso-8601'));
  it('refuses a decommissioning before the commissioning', () => given([]).when({ ...base, decommissionedAt: '2024-01-01T00:00:00Z' }).thenThrows('commissioning-order'));
  it('refuses a station id that breaks the rule', () => given([]).when({ ...base, stationId: 'CP/1' }).thenThrows('station-id'));
});

describe('key stream decider', () => {
  const key = { stationId: 'CP-1', publicKey: 'abcd', validFrom: '2025-01-01T00:00:00Z', registeredAt: 't' };
  const givenKeys = deciderSpecification(keyStream);
  it('registers a key', () => givenKeys([]).when(key).then([{ type: 'StationKeyRegistered', data: key }]));
  it('does not register the same key and validity twice', () => givenKeys([{ type: 'StationKeyRegistered', data: key }]).when({ ...key, registeredAt: 'later' }).thenNothingHappened());
  it('registers a new validity of a known key', () => givenKeys([{ type: 'StationKeyRegistered', data: key }]).when({ ...key, validTo: '2026-01-01T00:00:00Z' }).then([{ type: 'StationKeyRegistered', data: { ...key, validTo: '2026-01-01T00:00:00Z' } }]));
  it('refuses a period that ends before it starts', () => givenKeys([]).when({ ...key, validTo: '2024-01-01T00:00:00Z' }).thenThrows('key-validity'));
  it('refuses a key that is not hex', () => givenKeys([]).when({ ...key, publicKey: 'xyz' }).thenThrows('public-key'));
});
