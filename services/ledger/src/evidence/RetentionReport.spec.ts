import { SqliteEventStore } from '../adapters/SqliteEventStore';
import { LedgerRuleViolation } from '../domain/LedgerRuleViolation';
import { Ledger } from '../Ledger';
import { LEGAL_RETENTION_YEARS, retentionReport, retentionYears } from './RetentionReport';

describe('retention', () => {
  it('is never shorter than the legal floor', () => {
    expect(retentionYears()).toBe(LEGAL_RETENTION_YEARS);
    expect(retentionYears(10)).toBe(10);
    expect(() => retentionYears(LEGAL_RETENTION_YEARS - 1)).toThrow(LedgerRuleViolation);
    expect(() => retentionYears(3.5)).toThrow(/whole number of years/);
  });

  it('lists what is past the period, per stream, and removes nothing', async () => {
    const store = new SqliteEventStore(':memory:');
    let clock = '2021-06-01T00:00:00.000Z';
    const ledger = new Ledger(store, () => clock);
    const log = (seq: number) => ledger.recordLogEntry({ stationId: 'CP-1', seq, time: clock, event: 'E', signedText: '{}', signature: 's', verification: { verdict: 'valid', reason: 'ok', verifier: 't', verifiedAt: 't' }, receipt: { messageId: `m${seq}`, receivedAt: clock, source: 't' } });
    await ledger.registerKey({ stationId: 'CP-1', publicKey: 'ab', validFrom: '2021-01-01T00:00:00Z' });
    await log(1);
    clock = '2022-12-31T23:59:59.000Z';
    await log(2);
    clock = '2023-01-01T00:00:00.000Z';
    await log(3);
    const report = await retentionReport(ledger, 3, new Date('2026-11-27T00:00:00Z'));
    expect(report).toEqual({
      years: 3,
      cutoff: '2023-01-01T00:00:00.000Z',
      streams: [
        { streamId: 'keys/CP-1', events: 1, oldest: '2021-06-01T00:00:00.000Z', newest: '2021-06-01T00:00:00.000Z' },
        { streamId: 'metrology/CP-1', events: 2, oldest: '2021-06-01T00:00:00.000Z', newest: '2022-12-31T23:59:59.000Z' },
      ],
      eventsPastRetention: 3,
      removed: 0,
    });
    expect((await store.read('metrology/CP-1')).length).toBe(3);
    expect((await retentionReport(ledger, 10, new Date('2026-11-27T00:00:00Z'))).eventsPastRetention).toBe(0);
  });
});
