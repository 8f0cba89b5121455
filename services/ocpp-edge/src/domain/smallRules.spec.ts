import { BadFrameCounter } from './BadFrameCounter';
import { answerAsCsms, standaloneActions } from './StandaloneCsms';
import { TRANSACTION_ID_EPOCH_MS, TransactionIdSequence } from './TransactionIdSequence';

describe('BadFrameCounter', () => {
  it('says close at the limit of bad frames in a row; a good frame starts again; the total keeps counting', () => {
    const c = new BadFrameCounter(3);
    expect([c.bad(), c.bad()]).toEqual([false, false]);
    c.good();
    expect([c.bad(), c.bad(), c.bad()]).toEqual([false, false, true]);
    expect(c.count).toBe(5);
  });
});

describe('TransactionIdSequence', () => {
  it('starts at the seconds since 2025-01-01, counts up, and stays a positive 32-bit integer', () => {
    const s = new TransactionIdSequence(new Date(TRANSACTION_ID_EPOCH_MS + 86_400_000));
    expect([s.take(), s.take()]).toEqual([86_400, 86_401]);
    const late = new TransactionIdSequence(new Date(TRANSACTION_ID_EPOCH_MS + (2 ** 31 - 2) * 1000));
    expect([late.take(), late.take(), late.take()]).toEqual([2 ** 31 - 2, 2 ** 31 - 1, 1]);
    expect(new TransactionIdSequence(new Date(0)).take()).toBe(1);
  });
});

describe('StandaloneCsms', () => {
  const ctx = { now: new Date('2025-05-05T05:05:05Z'), heartbeatIntervalS: 120, transactionIds: new TransactionIdSequence(new Date(TRANSACTION_ID_EPOCH_MS + 10_000)) };

  it('accepts a boot with the heartbeat interval and answers heartbeats with the time', () => {
    for (const v of ['1.6', '2.0.1'] as const) {
      expect(answerAsCsms(v, 'BootNotification', {}, ctx)).toEqual({ status: 'Accepted', currentTime: '2025-05-05T05:05:05.000Z', interval: 120 });
      expect(answerAsCsms(v, 'Heartbeat', {}, ctx)).toEqual({ currentTime: '2025-05-05T05:05:05.000Z' });
    }
  });

  it('assigns 1.6 transaction ids and authorises every token (the ledger decides ownership later)', () => {
    expect(answerAsCsms('1.6', 'StartTransaction', {}, ctx)).toEqual({ idTagInfo: { status: 'Accepted' }, transactionId: 10 });
    expect(answerAsCsms('1.6', 'StartTransaction', {}, ctx)).toEqual({ idTagInfo: { status: 'Accepted' }, transactionId: 11 });
    expect(answerAsCsms('1.6', 'Authorize', { idTag: 'X' }, ctx)).toEqual({ idTagInfo: { status: 'Accepted' } });
    expect(answerAsCsms('2.0.1', 'Authorize', {}, ctx)).toEqual({ idTokenInfo: { status: 'Accepted' } });
    expect(answerAsCsms('2.0.1', 'TransactionEvent', { idToken: { idToken: 'X', type: 'ISO14443' } }, ctx)).toEqual({ idTokenInfo: { status: 'Accepted' } });
    expect(answerAsCsms('2.0.1', 'TransactionEvent', {}, ctx)).toEqual({});
  });

  it('answers the listed actions of each version and nothing else', () => {
    expect(standaloneActions('1.6')).toEqual(expect.arrayContaining(['StatusNotification', 'StopTransaction', 'MeterValues', 'SecurityEventNotification', 'FirmwareStatusNotification']));
    expect(standaloneActions('2.0.1')).toEqual(expect.arrayContaining(['TransactionEvent', 'SecurityEventNotification', 'FirmwareStatusNotification']));
    expect(answerAsCsms('1.6', 'TransactionEvent', {}, ctx)).toBeUndefined();
    expect(answerAsCsms('2.0.1', 'StartTransaction', {}, ctx)).toBeUndefined();
    expect(answerAsCsms('1.6', 'DataTransfer', {}, ctx)).toEqual({ status: 'UnknownVendorId' });
  });
});

describe('TransactionIdSequence with a high-water mark', () => {
  const markIn = () => {
    const writes: number[] = [];
    return { writes, mark: { read: () => writes.at(-1), reserve: (n: number) => void writes.push(n) } };
  };
  const day = new Date(TRANSACTION_ID_EPOCH_MS + 86_400_000);

  it('never hands out an id again after a restart, however many ids came in however few seconds', () => {
    const { mark, writes } = markIn();
    const first = new TransactionIdSequence(day, mark, 10);
    const given = Array.from({ length: 25 }, () => first.take());
    expect(given).toEqual(Array.from({ length: 25 }, (_, i) => 86_400 + i));
    expect(writes).toEqual([86_410, 86_420, 86_430]); // reserved before each block is used
    // Restarted in the same second: it starts above everything reserved.
    const second = new TransactionIdSequence(day, mark, 10);
    const next = [second.take(), second.take()];
    expect(Math.min(...next)).toBeGreaterThan(Math.max(...given));
    expect(next).toEqual([86_430, 86_431]);
    // Restarted much later: the clock is ahead of the mark and wins.
    expect(new TransactionIdSequence(new Date(TRANSACTION_ID_EPOCH_MS + 90_000_000), mark, 10).take()).toBe(90_000);
  });

  it('hands out nothing when the mark cannot be stored', () => {
    let fail = false;
    const s = new TransactionIdSequence(day, { read: () => undefined, reserve: () => { if (fail) throw new Error('disk full'); } }, 2);
    expect([s.take(), s.take()]).toEqual([86_400, 86_401]);
    fail = true;
    expect(() => s.take()).toThrow('disk full');
    expect(() => new TransactionIdSequence(day, { read: () => undefined, reserve: () => { throw new Error('read-only'); } })).toThrow('read-only');
  });

  it('wraps below 2^31 and reserves again from 1', () => {
    const { mark, writes } = markIn();
    const s = new TransactionIdSequence(new Date(TRANSACTION_ID_EPOCH_MS + (2 ** 31 - 2) * 1000), mark, 10);
    expect([s.take(), s.take(), s.take()]).toEqual([2 ** 31 - 2, 2 ** 31 - 1, 1]);
    expect(writes).toEqual([2 ** 31, 11]);
  });
});
