import { ReceiptCapability } from './ReceiptCapability';

describe('ReceiptCapability', () => {
  const grant = { streamId: 'ds-CP-1-abc', counter: '12', emspId: 'DE-EMP', expires: 1_000 };

  it('given an issued link, when read before its expiry, then it grants exactly that session', () => {
    const c = new ReceiptCapability('k'.repeat(32));
    expect(c.read(c.issue(grant), 999)).toEqual({ ok: true, grant });
  });

  it('refuses an expired, altered or foreign link', () => {
    const c = new ReceiptCapability('k'.repeat(32));
    const token = c.issue(grant);
    expect(c.read(token, 1_000)).toEqual({ ok: false, reason: 'expired' });
    const [body, mac] = token.split('.');
    const later = Buffer.from(JSON.stringify(['ds-CP-1-abc', '12', 'DE-EMP', 9_999])).toString('base64url');
    expect(c.read(`${later}.${mac}`, 999)).toEqual({ ok: false, reason: 'unknown' });
    expect(c.read(`${body}.${'A'.repeat(43)}`, 999)).toEqual({ ok: false, reason: 'unknown' });
    expect(new ReceiptCapability('x'.repeat(32)).read(token, 999)).toEqual({ ok: false, reason: 'unknown' });
    expect(c.read('../../etc/passwd', 999)).toEqual({ ok: false, reason: 'unknown' });
  });
});
