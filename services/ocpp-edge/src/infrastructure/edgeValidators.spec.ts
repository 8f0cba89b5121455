import { edgeValidators, schemaActions, SIGNED_METER_DATA_MAX_CHARS } from './edgeValidators';

const event = (signedMeterData: string) => ({
  eventType: 'Ended',
  timestamp: '2025-01-01T10:00:00Z',
  triggerReason: 'StopAuthorized',
  seqNo: 7,
  transactionInfo: { transactionId: 'tx-1' },
  meterValue: [
    {
      timestamp: '2025-01-01T10:00:00Z',
      sampledValue: [{ value: 12.5, signedMeterValue: { signedMeterData, signingMethod: 'ECDSA-secp256r1-SHA256', encodingMethod: 'OCMF', publicKey: '' } }],
    },
  ],
});

describe('edgeValidators', () => {
  const [v201] = edgeValidators();

  it('accepts signedMeterData longer than 2.0.1’s 2,500 characters, up to the 2.1 limit', () => {
    expect(v201.subprotocol).toBe('ocpp2.0.1');
    expect(v201.validate('urn:TransactionEvent.req', event('A'.repeat(2_501)))).toBe(true);
    expect(v201.validate('urn:MeterValues.req', { evseId: 1, meterValue: event('A'.repeat(SIGNED_METER_DATA_MAX_CHARS)).meterValue })).toBe(true);
  });

  it('still refuses more than the 2.1 limit, and everything else the official schema refuses', () => {
    expect(() => v201.validate('urn:TransactionEvent.req', event('A'.repeat(SIGNED_METER_DATA_MAX_CHARS + 1)))).toThrow(/signedMeterData|must NOT have more than/);
    expect(() => v201.validate('urn:TransactionEvent.req', { ...event('A'), seqNo: 'seven' })).toThrow(/must be integer/);
    expect(() => v201.validate('urn:TransactionEvent.req', { ...event('A'), triggerReason: 'Whim' })).toThrow(/must be equal to one of the allowed values/);
  });

  it('names a missing required field with 2.0.1’s own code, OccurrenceConstraintViolation (ocpp-rpc gives 1.6’s misspelling, which 2.0.1 does not define)', () => {
    let thrown: { rpcErrorCode?: string; message?: string; details?: unknown } | undefined;
    try {
      v201.validate('urn:Authorize.req', {});
    } catch (e) {
      thrown = e as typeof thrown;
    }
    expect(thrown?.rpcErrorCode).toBe('OccurrenceConstraintViolation');
    expect(thrown?.message).toContain("required property 'idToken'");
    expect(thrown?.details).toMatchObject({ errors: expect.any(Array) });
    // Other codes are left as the official mapping gives them.
    expect(() => v201.validate('urn:Authorize.req', { idToken: { idToken: 7, type: 'ISO14443' } })).toThrow(expect.objectContaining({ rpcErrorCode: 'TypeConstraintViolation' }));
  });

  it('lists the actions of each version’s official schemas (what proxy mode forwards)', () => {
    expect(schemaActions('ocpp1.6')).toEqual(expect.arrayContaining(['MeterValues', 'StartTransaction', 'SecurityEventNotification', 'DataTransfer', 'Reset']));
    expect(schemaActions('ocpp1.6')).not.toContain('TransactionEvent');
    expect(schemaActions('ocpp2.0.1')).toEqual(expect.arrayContaining(['TransactionEvent', 'NotifyReport', 'DataTransfer']));
    expect(schemaActions('ocpp2.0.1')).toHaveLength(64);
  });
});
