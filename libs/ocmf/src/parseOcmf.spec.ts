import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseOcmf } from './parseOcmf';

const CP800 =
  'OCMF|{"FV":"1.0","GI":"CP0001","PG":"T15-4193206880799101095","GV":"lrs_ver: 1.0.0, sw_rel: 2024.05.00.423-alpha","MV":"Chargepoint Inc.", "MM":"CPKM3000", "MS":"MjUxMzYyQjAwMDAxAAAAAHwzMS0wMDI3MDAtMDQtMDE=", "MF":"scf km+3e8g/pmv+JLwhg+NUpxPw7+JXaVoTw3gGP2oQ=", "IS":true, "ID":"0000000000000005", "CI":1, "LC":{"LU":"uOhm", "LR":0.0}, "TT":"","RD":[{"TX":"B", "TM":"2025-06-03T07:48:45,000+0000 U", "RU":"kWh", "RI":"1-b:1.8.0", "RT":"AC", "RV":0.4159, "CL":0.0, "ST":"G"}, {"TX":"S", "TM":"2025-06-03T07:49:24,000+0000 U", "RU":"kWh", "RI":"1-b:1.8.0", "RT":"AC", "RV":0.4159, "CL":0.0, "ST":"G"}, {"TX":"E", "TM":"2025-06-03T07:49:25,000+0000 U", "RU":"kWh", "RI":"1-b:1.8.0", "RT":"AC", "RV":0.4159, "CL":0.0, "ST":"G"}]}|{"SA":"ECDSA-secp384r1-SHA256", "SD":"MGYCMQCFrJkO5izcVZVFYcvRznYW7wmawrI8dBpei+ng3H8q2bcdOUFQzXo3RDNu9bLk9YQCMQD57JB6i7Db5G2WZrAqfwPi6ZKwtFVZIr63QJ/VkHI+k3wqJl0NrcBkqVS/0pwQdGE=", "SE":"base 64"}';

describe('parseOcmf on the CP800 sample (station manual, Annexe A)', () => {
  const r = parseOcmf(CP800);
  if (!r.ok) throw new Error(r.error.reason);
  const { payload, signature, payloadText } = r.dataset;

  it('keeps the payload byte-exact, spaces after separators included', () => {
    expect(payloadText.startsWith('{"FV":"1.0","GI":"CP0001"')).toBe(true);
    expect(payloadText).toContain('"MV":"Chargepoint Inc.", "MM":"CPKM3000"');
    expect(payloadText.endsWith('"ST":"G"}]}')).toBe(true);
  });

  it('reads PG as counter 15 with the transaction id after the dash', () => {
    expect(payload.pagination).toEqual({ raw: 'T15-4193206880799101095', context: 'T', counter: '15', suffix: '4193206880799101095' });
  });

  it('reads TM with comma milliseconds and the sync letter', () => {
    const t = payload.readings[0].time!;
    expect(t.iso).toBe('2025-06-03T07:48:45.000Z');
    expect(t.status).toBe('U');
    expect(t.deviations).toEqual([]);
  });

  it('reads the readings B, S, E with CL and the cable loss parameters', () => {
    expect(payload.readings.map((x) => x.type)).toEqual(['B', 'S', 'E']);
    expect(payload.readings.map((x) => x.cumulatedLoss?.text)).toEqual(['0', '0', '0']);
    expect(payload.readings[2].value).toEqual({ value: 0.4159, text: '0.4159' });
    expect(payload.lossCompensation).toEqual({ resistance: { value: 0, text: '0' }, unit: 'uOhm', name: undefined });
    expect(payload.meterSerial).toBe('MjUxMzYyQjAwMDAxAAAAAHwzMS0wMDI3MDAtMDQtMDE=');
  });

  it('reports CI written as a number and the missing IT as deviations, not errors', () => {
    expect(r.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(r.findings.map((f) => f.field)).toEqual(expect.arrayContaining(['CI', 'IT']));
    expect(payload.chargePointId).toBe('1');
  });

  it('reads the signature section with SE "base 64"', () => {
    expect(signature.algorithm).toBe('ECDSA-secp384r1-SHA256');
    expect(signature.encoding).toBe('base 64');
    expect(signature.data).toMatch(/^MGYCMQ/);
  });
});

describe('parseOcmf typing and findings', () => {
  const wrap = (payload: object) => `OCMF|${JSON.stringify(payload)}|{"SD":"00"}`;
  const base = { FV: '1.0', PG: 'T7', MS: 'S1', IS: false, IT: 'NONE', RD: [{ TM: '2024-01-01T00:00:00,000+0000 S', TX: 'B', RV: 1, RU: 'kWh', RI: '1-b:1.8.0', ST: 'G' }] };

  it('fills omitted reading fields forward from the previous reading', () => {
    const r = parseOcmf(
      wrap({ ...base, RD: [{ TM: '2024-01-01T00:00:00,000+0000 S', TX: 'B', RV: 1, RU: 'kWh', RI: '1-b:1.8.0', ST: 'G' }, { TM: '2024-01-01T01:00:00,000+0000 S', TX: 'E', RV: 2 }] }),
    );
    expect(r.ok && r.dataset.payload.readings[1]).toMatchObject({ unit: 'kWh', obis: '1-b:1.8.0', status: 'G', type: 'E' });
  });

  it('takes RV written as a string, with a deviation', () => {
    const r = parseOcmf(wrap({ ...base, RD: [{ ...base.RD[0], RV: '      48.542' }] }));
    expect(r.ok && r.dataset.payload.readings[0].value).toEqual({ value: 48.542, text: '48.542' });
    expect(r.findings).toContainEqual(expect.objectContaining({ severity: 'deviation', field: 'RD[0].RV' }));
  });

  it('reports a missing PG and an unreadable TM as errors', () => {
    const { PG: _pg, ...noPg } = base;
    const r = parseOcmf(wrap({ ...noPg, RD: [{ ...base.RD[0], TM: 'yesterday' }] }));
    expect(r.ok).toBe(true);
    const errors = r.findings.filter((f) => f.severity === 'error').map((f) => f.field);
    expect(errors).toEqual(expect.arrayContaining(['PG', 'RD[0].TM']));
  });

  it.each([
    ['TX', 'Q'],
    ['ST', 'Z'],
    ['RU', 'MWh'],
    ['RT', 'XC'],
  ])('reports %s="%s" outside the code list', (key, value) => {
    const r = parseOcmf(wrap({ ...base, RD: [{ ...base.RD[0], [key]: value }] }));
    expect(r.findings).toContainEqual(expect.objectContaining({ field: `RD[0].${key}` }));
  });

  it('knows every identification flag and level of the spec', () => {
    const r = parseOcmf(wrap({ ...base, IL: 'SECURE', IF: ['RFID_PSK', 'OCPP_AUTH_TLS', 'ISO15118_PNC', 'PLMN_SMS'], IT: 'EMAID' }));
    expect(r.findings).toEqual([]);
  });

  it('takes SA from the payload for OCMF before 1.0', () => {
    const r = parseOcmf(`OCMF|${JSON.stringify({ ...base, FV: '0.4', SA: 'ECDSA-secp384r1-SHA256' })}|{"SD":"00"}`);
    expect(r.ok && r.dataset.signature.algorithm).toBe('ECDSA-secp384r1-SHA256');
  });

  it('returns a typed error for JSON that does not parse', () => {
    const r = parseOcmf('OCMF|{"FV":1.0,}|{"SD":"00"}');
    expect(!r.ok && r.error.code).toBe('malformed-json');
  });

  it('parses every dataset of the published fixtures without errors that block reading', () => {
    const raw = readFileSync(join(__dirname, '..', 'test', 'fixtures', 'transparenzsoftware', 'chargepoint_3.xml'), 'utf8');
    const ocmf = raw.slice(raw.indexOf('OCMF|'), raw.indexOf('</signedData>'));
    const r = parseOcmf(ocmf);
    expect(r.ok).toBe(true);
    expect(r.ok && r.dataset.payload.readings.map((x) => x.value?.text)).toEqual(['0', '1.304']);
  });
});

describe('parseOcmf numbers: exact as written, or a finding, never an exception', () => {
  const reading = { TM: '2024-01-01T00:00:00,000+0000 S', TX: 'B', RI: '1-b:1.8.0', RU: 'kWh', ST: 'G' };
  const dataset = (rv: string, extra = '') => `OCMF|{"FV":"1.0","PG":"T1","MS":"S1","IS":false,"IT":"NONE"${extra},"RD":[${JSON.stringify(reading).slice(0, -1)},"RV":${rv}}]}|{"SD":"00"}`;

  it('reads RV from the text written, not from the nearest double', () => {
    const r = parseOcmf(dataset('0.12345678901234567890'));
    expect(r.ok && r.dataset.payload.readings[0].value?.text).toBe('0.1234567890123456789');
    const big = parseOcmf(dataset('123456789012345678901234567890123'));
    expect(big.ok && big.dataset.payload.readings[0].value?.text).toBe('123456789012345678901234567890123');
    expect(big.findings.filter((f) => f.severity === 'error')).toEqual([]);
  });

  it.each([
    ['1e400', /RV "1e400" cannot be used: written out without exponent it has 401 digits.*OCMF Tab\. 7/],
    ['-1e400', /RV "-1e400" cannot be used/],
    ['1e-400', /RV "1e-400" cannot be used: written out without exponent it has 401 digits/],
    [`1e${'9'.repeat(5000)}`, /RV "1e9{38}"… \(5002 characters\) cannot be used: its exponent has 5000 digits/],
    ['9'.repeat(400), /RV "9{40}"… \(400 characters\) cannot be used: it has 400 significant digits/],
  ])('reports RV %s that the model cannot hold as an error on the reading, with the rule', (rv, message) => {
    const r = parseOcmf(dataset(rv));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const reading = r.dataset.payload.readings[0];
    expect(reading.value).toBeUndefined();
    expect(reading.valueUnusable).toMatch(message);
    expect(r.findings).toContainEqual({ severity: 'error', field: 'RD[0].RV', message: expect.stringMatching(message) });
    expect(r.findings.every((f) => f.message.length < 600)).toBe(true);
  });

  it('reads a string field written as a number as the text written (FV 1.30 stays "1.30")', () => {
    const r = parseOcmf('OCMF|{"FV":1.30,"PG":"T1","CI":12345678901234567890123,"RD":[]}|{"SD":"00"}');
    expect(r.ok && r.dataset.payload.formatVersion).toBe('1.30');
    expect(r.ok && r.dataset.payload.chargePointId).toBe('12345678901234567890123');
    expect(r.findings).toContainEqual({ severity: 'deviation', field: 'FV', message: expect.stringMatching(/FV is the JSON number "1.30"/) });
  });

  it('says where a vendor field holds a number beyond a double, once, bounded', () => {
    const r = parseOcmf(dataset('1', `,"UX":${'7'.repeat(400)}`));
    expect(r.findings).toContainEqual({ severity: 'deviation', field: 'UX', message: expect.stringMatching(/^UX is the number "7{40}"… \(400 characters\), beyond what a JS number holds/) });
    expect(r.ok && r.dataset.payload.readings[0].value?.text).toBe('1');
  });

  it('carries the written text of a number forward with its field', () => {
    const r = parseOcmf('OCMF|{"PG":"T1","MS":"x","RD":[{"TX":"B","RV":1,"RT":1.50,"RU":"kWh","RI":"x","ST":"G","TM":"2024-01-01T00:00:00,000+0000 S"},{"TX":"E","RV":2,"TM":"2024-01-01T00:00:00,000+0000 S"}]}|{"SD":"00"}');
    expect(r.ok && r.dataset.payload.readings.map((x) => x.currentType)).toEqual(['1.50', '1.50']);
  });

  it('keeps a reading key "__proto__" a key: no field is read through it', () => {
    const r = parseOcmf('OCMF|{"PG":"T1","MS":"x","RD":[{"TX":"B","TM":"2024-01-01T00:00:00,000+0000 S","RU":"kWh","RI":"x","ST":"G","__proto__":{"RV":5}}]}|{"SD":"00"}');
    expect(r.ok && r.dataset.payload.readings[0].value).toBeUndefined();
    expect(r.findings).toContainEqual(expect.objectContaining({ severity: 'error', field: 'RD[0].RV' }));
    expect(r.ok && Object.getPrototypeOf(r.dataset.payload.readings[0].fields)).toBe(Object.prototype);
  });

  it('reads PG with a counter of any length exactly, as text', () => {
    const counter = `1${'0'.repeat(70)}`;
    const r = parseOcmf(dataset('1').replace('"PG":"T1"', `"PG":"T000${counter}-x"`));
    expect(r.ok && r.dataset.payload.pagination).toEqual({ raw: `T000${counter}-x`, context: 'T', counter, suffix: 'x' });
  });
});
