import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { samplePayload, TestStation } from '../../test/support/TestStation';
import { writeOcppSignedMeterValue } from '../containers/OcppSignedMeterValue';
import { writeSafeXml } from '../containers/SafeXml';

const repoRoot = resolve(__dirname, '..', '..', '..', '..');
const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
const main = join(__dirname, 'main.ts');

function ocmf(args: string[], input?: string) {
  const r = spawnSync(tsx, [main, ...args], { input, encoding: 'utf8', cwd: repoRoot });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const station = new TestStation('secp384r1');
const dir = mkdtempSync(join(tmpdir(), 'ocmf-cli-'));
const valid = station.sign(samplePayload(15), 'base 64');
const file = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};

describe('ocmf CLI', () => {
  it('verify: valid dataset, exit 0, verdict first with algorithm and pagination', () => {
    const r = ocmf(['verify', '--public-key', station.publicKeyBase64, file('v.txt', valid)]);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.out);
    expect(Object.keys(out).slice(0, 4)).toEqual(['verdict', 'reason', 'algorithm', 'pagination']);
    expect(out).toMatchObject({ verdict: 'valid', algorithm: 'ECDSA-secp384r1-SHA256', pagination: 'T15-9876543210', container: 'ocmf' });
    expect(out.session.energy.delivered).toBe('2.2222');
  });

  it('verify: invalid exits 1, error exits 2, from a file or standard input', () => {
    const tampered = valid.replace('"RV":3.4567', '"RV":3.4568');
    expect(ocmf(['verify', '--public-key', station.publicKeyHex, '-'], tampered).code).toBe(1);
    const bad = ocmf(['verify', '--public-key', 'abcd', '-'], valid);
    expect(bad.code).toBe(2);
    expect(JSON.parse(bad.out)).toMatchObject({ verdict: 'error', errorCode: 'bad-key' });
    expect(ocmf(['verify', '--public-key', station.publicKeyHex, join(dir, 'missing.txt')]).code).toBe(2);
  });

  it('verify: uses the key embedded in SAFE XML and OCPP JSON when none is given', () => {
    const xml = writeSafeXml([{ ocmf: valid, publicKey: station.publicKeyBase64 }]);
    const x = ocmf(['verify', file('v.xml', xml)]);
    expect(x.code).toBe(0);
    expect(JSON.parse(x.out)).toMatchObject({ verdict: 'valid', keySource: 'embedded', container: 'safe-xml' });
    const ocpp = JSON.stringify(writeOcppSignedMeterValue(valid, station.algorithm, station.publicKeyHex));
    expect(ocmf(['verify', '--verifier', 'noble', file('v.json', ocpp)]).code).toBe(0);
  });

  it('verify --jsonl: one line out per line in, id echoed, exit 0 whatever the verdicts', () => {
    const lines = [
      JSON.stringify({ id: 'a', ocmf: valid, publicKey: station.publicKeyHex }),
      JSON.stringify({ id: 7, ocmf: valid.replace('T15', 'T16'), publicKey: station.publicKeyHex }),
      'not json',
      JSON.stringify({ id: 'c' }),
      JSON.stringify({ id: 'd', ocmf: 'OCMF|{|' }),
    ].join('\n');
    const r = ocmf(['verify', '--jsonl'], lines);
    expect(r.code).toBe(0);
    const out = r.out.trim().split('\n').map((l) => JSON.parse(l));
    expect(out.map((o) => [o.id, o.verdict])).toEqual([
      ['a', 'valid'],
      [7, 'invalid'],
      [null, 'error'],
      ['c', 'error'],
      ['d', 'error'],
    ]);
  });

  it('inspect: prints the readings table, energy and verdict', () => {
    const r = ocmf(['inspect', '--public-key', station.publicKeyHex, file('i.txt', valid)]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Verdict\s+VALID/);
    expect(r.out).toMatch(/B begin of transaction/);
    expect(r.out).toMatch(/Energy delivered: 2\.2222 kWh/);
  });

  it('says what is wrong with the command line', () => {
    const r = ocmf(['verify', '--profile', 'lax', 'x']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--profile must be strict or tolerant/);
  });

  it('verify-samples: every bundled dataset as expected, or as the reference software decides it, exit 0', () => {
    const r = ocmf(['verify-samples']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/, 0 differ from their expected verdict, 2 decided as the reference software decides/);
    expect(r.out).toMatch(/^ref  corpus\/hupe1980-deviation-raw-rs-signature\.json +error .*\(expected valid; as the S\.A\.F\.E\. transparency software/m);
    expect(r.out).not.toMatch(/^FAIL/m);
  }, 60_000);

  it('inspect: a dataset whose RV overflows a double shows the finding and withholds the energy', () => {
    const overflow = station.sign(samplePayload(16).replace('"RV":3.4567', '"RV":1e400'));
    const r = ocmf(['inspect', '--public-key', station.publicKeyHex, file('overflow.txt', overflow)]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/Energy delivered: not given \(RD\[1\]: RV "1e400" cannot be used/);
    expect(r.out).toMatch(/Error: RD\[1\]\.RV: RV "1e400" cannot be used/);
  });
});
