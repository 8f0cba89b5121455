import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { METROLOGY_LOG_ALGORITHM, type MetrologyLogEntry, type MetrologyLogFields } from './MetrologyLogEntry';
import { metrologyLogSignedText } from './metrologyLogSignedText';
import { verifyMetrologyLogEntry } from './verifyMetrologyLogEntry';

function station() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
  return { privateKey, publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('hex') };
}

function signed(privateKey: KeyObject, signedText: string) {
  return { signedText, signature: sign('sha256', Buffer.from(signedText, 'utf8'), privateKey).toString('base64'), algorithm: METROLOGY_LOG_ALGORITHM as typeof METROLOGY_LOG_ALGORITHM };
}

const FIELDS: MetrologyLogFields = { stationId: 'CP-000001', seq: 3, time: '2025-01-01T07:00:05Z', event: 'MeterTestPassed', metadata: { udid: 'u-1' } };

describe('verifyMetrologyLogEntry', () => {
  const current = station();
  const previous = station();
  const stranger = station();
  const entry = signed(current.privateKey, metrologyLogSignedText(FIELDS));

  it('accepts a signed entry and says which registered key matched', () => {
    const v = verifyMetrologyLogEntry(entry, [previous.publicKey, current.publicKey], { stationId: 'CP-000001' });
    expect(v).toMatchObject({ ok: true, code: 'valid', publicKey: current.publicKey, fields: FIELDS });
    expect(v.reason).toContain('registered key 2 of 2');
    expect(verifyMetrologyLogEntry(entry, current.publicKey).ok).toBe(true);
  });

  it('accepts an entry whose shown fields are the signed ones, whatever the key order of its metadata', () => {
    const full: MetrologyLogEntry = { ...FIELDS, ...entry };
    expect(verifyMetrologyLogEntry(full, current.publicKey).ok).toBe(true);
  });

  it.each([
    ['signed text that is not JSON', { ...entry, signedText: 'hello' }, 'not-json', /not JSON/],
    ['signed JSON that is not an object', { ...entry, signedText: '[1,2]' }, 'not-json', /not an object/],
    ['an event outside the manual', signed(current.privateKey, metrologyLogSignedText({ ...FIELDS, event: 'Party' as never })), 'not-an-entry', /event must be one of/],
    ['a sequence number of 0', signed(current.privateKey, metrologyLogSignedText({ ...FIELDS, seq: 0 })), 'not-an-entry', /seq must be a whole number from 1/],
    ['a time that is not ISO 8601', signed(current.privateKey, metrologyLogSignedText({ ...FIELDS, time: 'yesterday' })), 'not-an-entry', /time must be an ISO 8601/],
    ['a field signed twice', signed(current.privateKey, metrologyLogSignedText(FIELDS).replace(/^\{/, '{"seq":99,')), 'not-an-entry', /names the field "seq" twice/],
    ['a day that does not exist', signed(current.privateKey, metrologyLogSignedText({ ...FIELDS, time: '2025-02-30T07:00:05Z' })), 'not-an-entry', /day that exists.*2025-02-30/],
    ['an hour past 23', signed(current.privateKey, metrologyLogSignedText({ ...FIELDS, time: '2025-01-01T24:00:05Z' })), 'not-an-entry', /time must be an ISO 8601/],
    ['another algorithm', { ...entry, algorithm: 'ECDSA-secp256r1-SHA256' }, 'unsupported-algorithm', /ECDSA-secp384r1-SHA256/],
  ])('refuses %s, saying what an entry must be', (_what, input, code, reason) => {
    const v = verifyMetrologyLogEntry(input, current.publicKey, { stationId: 'CP-000001' });
    expect(v).toMatchObject({ ok: false, code });
    expect(v.reason).toMatch(reason);
  });

  it('reads a time in the years 0000-0099 as that year (Date.UTC alone would take 0050 for 1950)', () => {
    for (const time of ['0050-06-03T07:00:05Z', '0048-02-29T07:00:05Z']) {
      const fields = { ...FIELDS, time };
      expect(verifyMetrologyLogEntry({ ...fields, ...signed(current.privateKey, metrologyLogSignedText(fields)) }, current.publicKey)).toMatchObject({ ok: true });
    }
    const notADay = { ...FIELDS, time: '0049-02-29T07:00:05Z' };
    expect(verifyMetrologyLogEntry(signed(current.privateKey, metrologyLogSignedText(notADay)), current.publicKey)).toMatchObject({ ok: false, code: 'not-an-entry' });
  });

  it('refuses an entry signed for another station than the message names', () => {
    const v = verifyMetrologyLogEntry(entry, current.publicKey, { stationId: 'CP-000002' });
    expect(v).toMatchObject({ ok: false, code: 'station-mismatch' });
    expect(v.reason).toContain('"CP-000001"');
    expect(v.reason).toContain('"CP-000002"');
  });

  it('refuses shown fields that differ from the signed text, naming them', () => {
    const v = verifyMetrologyLogEntry({ ...FIELDS, ...entry, event: 'ClockSync', seq: 4 }, current.publicKey);
    expect(v).toMatchObject({ ok: false, code: 'fields-differ' });
    expect(v.reason).toBe('fields differ from the signed text: seq, event shown are not what was signed');
  });

  it('refuses a signature that matches none of the registered keys, counting them', () => {
    const v = verifyMetrologyLogEntry(entry, [stranger.publicKey, previous.publicKey], { stationId: 'CP-000001' });
    expect(v).toMatchObject({ ok: false, code: 'invalid-signature' });
    expect(v.reason).toContain('any of the 2 registered keys of station "CP-000001"');
  });

  it('refuses a signed text changed after signing', () => {
    const changed = { ...entry, signedText: entry.signedText.replace('"seq":3', '"seq":5') };
    expect(verifyMetrologyLogEntry(changed, current.publicKey)).toMatchObject({ ok: false, code: 'invalid-signature' });
  });

  it('says when no key is registered, and does not throw on unreadable keys or signatures', () => {
    expect(verifyMetrologyLogEntry(entry, [])).toMatchObject({ ok: false, code: 'no-key' });
    const v = verifyMetrologyLogEntry({ ...entry, signature: '%%%' }, ['zz', current.publicKey]);
    expect(v).toMatchObject({ ok: false, code: 'invalid-signature' });
    expect(v.reason).toContain('1 of them cannot be read as an SPKI public key');
  });

  it('quotes outside text bounded', () => {
    const v = verifyMetrologyLogEntry({ ...entry, signedText: `x${'y'.repeat(10_000)}` }, current.publicKey);
    expect(v.reason.length).toBeLessThan(300);
  });
});
