import fc from 'fast-check';
import { MAX_DATASET_CHARS, parseOcmfSections, splitOcmf } from './OcmfSections';

describe('splitOcmf', () => {
  it('returns the payload exactly as received, white space included', () => {
    const payload = '{"FV":"1.0", "PG":"T1",\n  "RD":[]}';
    const r = splitOcmf(`OCMF|${payload}|{"SD":"00"}`);
    expect(r.ok && r.sections.payloadText).toBe(payload);
  });

  it('finds the sections by JSON structure when a string value holds a "|"', () => {
    const payload = '{"TT":"Tarif A|B","ID":"x|y|{z}"}';
    const r = splitOcmf(`OCMF|${payload}|{"SD":"AB|CD"}`);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.sections.payloadText).toBe(payload);
      expect(r.sections.signatureText).toBe('{"SD":"AB|CD"}');
    }
  });

  it('handles escaped quotes inside strings', () => {
    const payload = '{"TT":"say \\"|\\" here"}';
    const r = splitOcmf(`OCMF|${payload}|{"SD":"00"}`);
    expect(r.ok && r.sections.payloadText).toBe(payload);
  });

  it.each([
    ['', 'not-ocmf'],
    ['OCMP|{}|{}', 'not-ocmf'],
    ['OCMF|{"a":1}', 'malformed-sections'],
    ['OCMF|{"a":1}|', 'malformed-sections'],
    ['OCMF|{"a":"1}|{"SD":"00"}', 'malformed-sections'],
    ['OCMF|{"a":1}|{"SD":"00"}trailing', 'malformed-sections'],
    ['OCMF|{"a":1}{"SD":"00"}', 'malformed-sections'],
  ])('rejects %j with %s', (input, code) => {
    const r = splitOcmf(input);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.code).toBe(code);
  });

  it('bounds the input size', () => {
    const r = splitOcmf(`OCMF|{"TT":"${'x'.repeat(MAX_DATASET_CHARS)}"}|{}`);
    expect(!r.ok && r.error.code).toBe('too-large');
  });
});

describe('parseOcmfSections', () => {
  it.each([
    ['a "|{" inside a payload string', 'OCMF|{"TT":"a|{\\"b\\":1}","PG":"T1"}|{"SD":"00"}', '{"TT":"a|{\\"b\\":1}","PG":"T1"}'],
    ['a "|{" inside a signature string', 'OCMF|{"PG":"T1"}|{"SD":"00","XV":"|{}"}', '{"PG":"T1"}'],
    ['white space before the signature object', 'OCMF|{"PG":"T1"}| {"SD":"00"}', '{"PG":"T1"}'],
    ['leading white space and a trailing newline', '  OCMF|{"PG":"T1"}|{"SD":"00"}\n', '{"PG":"T1"}'],
  ])('splits structurally with %s', (_what, input, payload) => {
    const r = parseOcmfSections(input);
    expect(r.ok && r.sections.payloadText).toBe(payload);
    expect(r.ok && splitOcmf(input).ok && (splitOcmf(input) as { sections: { payloadText: string } }).sections.payloadText).toBe(payload);
  });

  it('agrees with the structural scanner on every input the scanner accepts', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), fc.dictionary(fc.string(), fc.string()), (payload, sig) => {
        const input = `OCMF|${JSON.stringify(payload)}|${JSON.stringify(sig)}`;
        const fast = parseOcmfSections(input);
        const slow = splitOcmf(input);
        expect(fast.ok).toBe(true);
        expect(slow.ok).toBe(true);
        if (fast.ok && slow.ok) expect(fast.sections.payloadText).toBe(slow.sections.payloadText);
      }),
      { numRuns: 500 },
    );
  });

  it('names the error for a payload that is not JSON', () => {
    const r = parseOcmfSections('OCMF|{"PG":T1}|{"SD":"00"}');
    expect(!r.ok && r.error.code).toBe('malformed-json');
  });
});

describe('what the S.A.F.E. transparency software reads beyond RFC 8259', () => {
  it('reads a raw control character in a string, with a deviation naming it', () => {
    const r = parseOcmfSections('OCMF|{"PG":"T1","IT":"ISO14443\u0001"}|{"SD":"00"}');
    expect(r.ok && r.sections.payloadJson.IT).toBe('ISO14443\u0001');
    expect(r.ok && r.sections.findings).toEqual([
      { severity: 'deviation', field: 'payload', message: expect.stringMatching(/^raw control character U\+0001 inside a string at offset 25 .*RFC 8259 §7/) },
    ]);
  });

  it('reads a number with leading zeros, with a deviation quoting it', () => {
    const r = parseOcmfSections('OCMF|{"PG":"T1","RV":0100.000}|{"SD":"00"}');
    expect(r.ok && r.sections.payloadJson.RV).toBe(100);
    expect(r.ok && r.sections.findings?.[0].message).toMatch(/^number "0100.000" at offset 16 of the payload section is not in RFC 8259 §6 form/);
  });

  it('refuses an escape RFC 8259 does not define, as Gson 2.8.9 does, naming it', () => {
    const r = parseOcmfSections('OCMF|{"PG":"T1","MV":"AC\\qME"}|{"SD":"00"}');
    expect(!r.ok && r.error.code).toBe('malformed-json');
    expect(!r.ok && r.error.reason).toMatch(/^payload section is not valid JSON: invalid escape "\\\\q" at offset 19/);
  });

  it('keeps a fourth section apart, unsigned and unused, with a deviation', () => {
    const key = '3059301306072A8648CE3D0201';
    const r = parseOcmfSections(`OCMF|{"PG":"T1"}|{"SD":"00"}|${key}`);
    expect(r.ok && r.sections.payloadText).toBe('{"PG":"T1"}');
    expect(r.ok && r.sections.signatureText).toBe('{"SD":"00"}');
    expect(r.ok && r.sections.fourthSection).toBe(key);
    expect(r.ok && r.sections.findings?.[0]).toMatchObject({ severity: 'deviation', field: 'sections', message: expect.stringMatching(/S\.A\.F\.E\. issue #16/) });
  });

  it('refuses more than four sections', () => {
    const r = parseOcmfSections('OCMF|{"PG":"T1"}|{"SD":"00"}|3059|more');
    expect(!r.ok && r.error.code).toBe('malformed-sections');
    expect(!r.ok && r.error.reason).toMatch(/more than four/);
  });

  it('quotes at most a few characters of text that follows the signature', () => {
    const r = parseOcmfSections(`OCMF|{"PG":"T1"}|{"SD":"00"}x${'y'.repeat(100_000)}`);
    expect(!r.ok && r.error.reason.length).toBeLessThan(200);
  });
});
