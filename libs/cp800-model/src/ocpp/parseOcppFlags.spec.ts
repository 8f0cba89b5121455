import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseOcppFlags, type OcppSettings } from './parseOcppFlags';

const dir = mkdtempSync(join(tmpdir(), 'sim-ocpp-flags-'));
const file = (name: string, text: string) => {
  writeFileSync(join(dir, name), text);
  return join(dir, name);
};

describe('parseOcppFlags', () => {
  it('profile 1 over ws:// by default, with a password per station from the file', () => {
    const s = parseOcppFlags({ '--ocpp': 'ws://127.0.0.1:8080/ocpp', '--passwords': file('pw.json', '{"CP-000001":"secret-1"}') }) as OcppSettings;
    expect({ version: s.version, profile: s.securityProfile, concurrency: s.concurrency }).toEqual({ version: '1.6', profile: 1, concurrency: 20 });
    expect(s.credentialsOf('CP-000001')).toEqual({ password: 'secret-1' });
    expect(() => s.credentialsOf('CP-000002')).toThrow('--passwords has no password for CP-000002');
  });

  it('profile 3: a certificate and key per station, from paths naming {stationId}', () => {
    file('CP-000001.crt', 'CERT');
    file('CP-000001.key', 'KEY');
    const s = parseOcppFlags({ '--ocpp': 'wss://edge', '--security-profile': '3', '--ocpp-version': '2.0.1', '--ca': file('ca.crt', 'CA'), '--client-cert': join(dir, '{stationId}.crt'), '--client-key': join(dir, '{stationId}.key') }) as OcppSettings;
    expect(s).toMatchObject({ version: '2.0.1', securityProfile: 3, ca: 'CA' });
    expect(s.credentialsOf('CP-000001')).toEqual({ certificate: { cert: 'CERT', key: 'KEY' } });
    expect(() => s.credentialsOf('CP-000009')).toThrow(/--client-cert .*CP-000009\.crt.* cannot be read \(ENOENT\)/);
  });

  it('says what does not fit, never quoting a password', () => {
    const pw = file('pw2.json', '{"CP-000001":"do-not-print-me"}');
    expect(parseOcppFlags({ '--ocpp': 'http://edge' })).toMatch(/must be a ws:\/\/ or wss:\/\/ URL/);
    expect(parseOcppFlags({ '--ocpp': 'ws://edge', '--ocpp-version': '2.1', '--passwords': pw })).toMatch(/--ocpp-version must be 1.6 or 2.0.1/);
    expect(parseOcppFlags({ '--ocpp': 'wss://edge', '--security-profile': '1', '--passwords': pw })).toMatch(/profile 1 is basic auth over ws:\/\//);
    expect(parseOcppFlags({ '--ocpp': 'ws://edge', '--security-profile': '2', '--passwords': pw })).toMatch(/needs TLS/);
    expect(parseOcppFlags({ '--ocpp': 'wss://edge' })).toMatch(/needs --passwords/);
    expect(parseOcppFlags({ '--ocpp': 'wss://edge', '--security-profile': '3' })).toMatch(/needs --client-cert and --client-key/);
    expect(parseOcppFlags({ '--ocpp': 'wss://edge', '--passwords': join(dir, 'missing.json') })).toMatch(/cannot be read \(ENOENT\)/);
    expect(parseOcppFlags({ '--ocpp': 'wss://edge', '--passwords': file('bad.json', '{"CP-000001":7}') })).toMatch(/JSON object of station id/);
    expect(parseOcppFlags({ '--ocpp': 'ws://edge', '--passwords': pw, '--concurrency': '0' })).toMatch(/--concurrency must be an integer >= 1/);
    for (const flags of [{ '--ocpp': 'ws://edge', '--passwords': pw, '--ca': pw }, { '--ocpp': 'wss://edge', '--passwords': pw, '--client-cert': 'x' }]) {
      const r = parseOcppFlags(flags);
      expect(typeof r).toBe('string');
      expect(r).not.toContain('do-not-print-me');
    }
  });
});
