import { createHash } from 'node:crypto';
import { frameRecord } from './OcppFrameRecord';

describe('frameRecord', () => {
  const origin = { identity: 'CP-7', ocppVersion: '2.0.1' as const, securityProfile: 3 as const, clientCertSha256: 'ab'.repeat(32), edgeInstance: 'edge-a' };
  const text = '[2, "m-1", "TransactionEvent", {"eventType":"Updated", "note":"ü"}]';

  it('keeps the frame text as received, with its SHA-256 and a message id stable across resends', () => {
    const at = new Date('2025-03-01T10:00:00.123Z');
    const r = frameRecord(origin, { messageType: 'CALL', ocppMessageId: 'm-1', action: 'TransactionEvent', text, receivedAt: at });
    expect(r).toEqual({
      kind: 'ocpp-frame',
      messageId: 'CP-7:m-1',
      identity: 'CP-7',
      ocppVersion: '2.0.1',
      securityProfile: 3,
      clientCertSha256: 'ab'.repeat(32),
      receivedAt: '2025-03-01T10:00:00.123Z',
      edgeInstance: 'edge-a',
      messageType: 'CALL',
      action: 'TransactionEvent',
      ocppMessageId: 'm-1',
      frame: text,
      frameSha256: createHash('sha256').update(Buffer.from(text, 'utf8')).digest('hex'),
    });
    const resent = frameRecord(origin, { messageType: 'CALL', ocppMessageId: 'm-1', action: 'TransactionEvent', text, receivedAt: new Date() });
    expect([resent.messageId, resent.frameSha256]).toEqual([r.messageId, r.frameSha256]);
    expect(JSON.parse(JSON.stringify(r)).frame).toBe(text);
  });

  it('names an answer apart from its call, and leaves out the certificate when there is none', () => {
    const r = frameRecord({ ...origin, clientCertSha256: undefined, securityProfile: 2 }, { messageType: 'CALLRESULT', ocppMessageId: 'm-1', action: 'StartTransaction', text: '[3,"m-1",{}]', receivedAt: new Date() });
    expect(r.messageId).toBe('CP-7:m-1:result');
    expect('clientCertSha256' in r).toBe(false);
  });
});
