import { LedgerRuleViolation } from '@metrology-ledger/ledger';
import { ReceivedMessage } from './ReceivedMessage';
import { MAX_REASON_CHARS, Rejection } from './Rejection';

const receipt = { messageId: 'm1', receivedAt: '2025-01-01T00:00:00Z', source: 'test', messageSha256: 'ab' };

describe('Rejection', () => {
  it('records the message verbatim with code, reason, station, counter and verification', () => {
    const message = new ReceivedMessage('{"kind":"ocmf-dataset"}');
    const verification = { verdict: 'invalid' as const, reason: 'no match', verifier: 'v', verifiedAt: 't' };
    const r = Rejection.datasetNotVerified('CP-1', 'invalid-signature', 'signature does not match', 2, verification, '17');
    expect(r.toRecord(message, receipt)).toEqual({
      stationId: 'CP-1',
      code: 'invalid-signature',
      reason: 'signature does not match (tried 2 registered keys)',
      raw: message.text,
      counter: '17',
      verification,
      receipt,
    });
  });

  it('keeps only an excerpt of a message over the limit, with the size and hash of the whole', () => {
    const message = new ReceivedMessage('x'.repeat(10_000));
    const record = Rejection.tooLarge('CP-1', message, 5_000, 100).toRecord(message, receipt);
    expect(record).toMatchObject({ code: 'too-large', raw: 'x'.repeat(100), rawTruncated: true, rawBytes: 10_000, rawSha256: message.sha256 });
    expect(record.reason).toContain('message is 10000 bytes; ingest accepts at most 5000 bytes per message (INGEST_MAX_MESSAGE_BYTES)');
  });

  it('bounds every reason, whatever a library or the ledger says', () => {
    const violation = new LedgerRuleViolation('counter', 'z'.repeat(50_000));
    const r = Rejection.ledgerRule('CP-1', violation);
    expect(r.reason.length).toBeLessThan(MAX_REASON_CHARS + 60);
    expect(r.reason).toMatch(/^the ledger refuses it \(rule counter\): z+…\(reason cut at 1000 characters\)$/);
    expect(Rejection.unreadableDataset('CP-1', 'w'.repeat(50_000)).reason.length).toBeLessThan(400);
  });

  it('lists at most eight contract problems and says how many more there are', () => {
    const problems = Array.from({ length: 12 }, (_, i) => `f${i}: must be a string`);
    const r = Rejection.contract('CP-1', problems);
    expect(r.reason).toContain('f7: must be a string; and 4 more');
    expect(r.reason).not.toContain('f8:');
  });

  it('quotes an unknown kind bounded', () => {
    expect(Rejection.unknownKind('CP-1', { nested: 'q'.repeat(1000) }).reason.length).toBeLessThan(200);
  });
});
