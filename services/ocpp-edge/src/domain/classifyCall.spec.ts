import { answerIsRecorded, classifyCall, ledgerActions } from './classifyCall';

describe('classifyCall', () => {
  it.each([
    ['1.6', 'MeterValues'],
    ['1.6', 'StartTransaction'],
    ['1.6', 'StopTransaction'],
    ['1.6', 'BootNotification'],
    ['1.6', 'FirmwareStatusNotification'],
    ['1.6', 'SignedFirmwareStatusNotification'],
    ['1.6', 'SecurityEventNotification'],
    ['1.6', 'LogStatusNotification'],
    ['1.6', 'DiagnosticsStatusNotification'],
    ['2.0.1', 'TransactionEvent'],
    ['2.0.1', 'MeterValues'],
    ['2.0.1', 'BootNotification'],
    ['2.0.1', 'FirmwareStatusNotification'],
    ['2.0.1', 'SecurityEventNotification'],
    ['2.0.1', 'LogStatusNotification'],
  ] as const)('OCPP %s %s goes to the ledger', (version, action) => {
    expect(classifyCall(version, action)).toBe('ledger');
  });

  it.each([
    ['1.6', 'Heartbeat'],
    ['1.6', 'StatusNotification'],
    ['1.6', 'Authorize'],
    ['1.6', 'DataTransfer'],
    ['1.6', 'TransactionEvent'],
    ['2.0.1', 'Heartbeat'],
    ['2.0.1', 'StatusNotification'],
    ['2.0.1', 'Authorize'],
    ['2.0.1', 'NotifyEvent'],
    ['2.0.1', 'StartTransaction'],
    ['2.0.1', 'meterValues'],
  ] as const)('OCPP %s %s stays at the edge', (version, action) => {
    expect(classifyCall(version, action)).toBe('edge');
  });

  it('records only the answer to a 1.6 StartTransaction (it holds the transactionId)', () => {
    expect(answerIsRecorded('1.6', 'StartTransaction')).toBe(true);
    for (const action of [...ledgerActions('1.6'), ...ledgerActions('2.0.1')].filter((a) => a !== 'StartTransaction')) {
      expect(answerIsRecorded('1.6', action)).toBe(false);
      expect(answerIsRecorded('2.0.1', action)).toBe(false);
    }
  });
});
