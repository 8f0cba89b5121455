import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtEntry } from './KafkaPipelineHarness';

// What `npm start` does (the built embedded pipeline on a small simulated fleet), then what an auditor
// does with its bundle: the ledger CLI verifies it offline, and catches a tampered copy.
const dir = mkdtempSync(join(tmpdir(), 'evidence-'));
const cli = (...args: string[]) => spawnSync(process.execPath, [builtEntry('services/ledger/dist/cli/main.js'), ...args], { encoding: 'utf8', cwd: dir });
let run: ReturnType<typeof spawnSync>;
let bundleFile = '';
let keyFile = '';

beforeAll(() => {
  run = spawnSync(process.execPath, [builtEntry('tools/pipeline/dist/embeddedPipeline.js')], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, SIM_STATIONS: '2', SIM_DAYS: '2', SIM_SEED: '7', QUERY_PORT: '0' },
  });
  const out = String(run.stdout);
  bundleFile = /evidence bundle for CP-000001: (\S+)/.exec(out)?.[1] ?? '';
  keyFile = /public key (\S+\.pem)\)/.exec(out)?.[1] ?? '';
});

describe('the evidence bundle of `npm start`', () => {
  it('the embedded run exports and verifies it, and exits 0', () => {
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/verified offline: yes/);
    expect(run.status).toBe(0);
  });

  it('verifies with the ledger CLI, offline, under the ledger key', () => {
    const r = cli('verify-bundle', bundleFile, '--ledger-key', keyFile, '--safe-xml', join(dir, 'packets.xml'));
    expect(r.stderr).toBe('');
    const verdict = JSON.parse(r.stdout);
    expect(verdict).toMatchObject({ ok: true, origin: 'ledger key given' });
    expect(verdict.checked.packets).toBeGreaterThan(0);
    expect(r.status).toBe(0);
    expect(readFileSync(join(dir, 'packets.xml'), 'utf8')).toMatch(/^<\?xml[\s\S]*<signedData format="OCMF"/);
  });

  it.each([
    ['a dropped packet', (b: { packets: { ndjson: string } }) => (b.packets.ndjson = b.packets.ndjson.split('\n').slice(1).join('\n')), 'packets (NDJSON)'],
    ['two packets swapped', (b: { packets: { ndjson: string } }) => { const l = b.packets.ndjson.split('\n'); [l[0], l[1]] = [l[1], l[0]]; b.packets.ndjson = l.join('\n'); }, 'packets (NDJSON)'],
  ])('exits 1 and names the first thing wrong for %s', (_name, tamper, part) => {
    const bundle = JSON.parse(readFileSync(bundleFile, 'utf8'));
    tamper(bundle);
    const file = join(dir, 'tampered.json');
    writeFileSync(file, JSON.stringify(bundle));
    const r = cli('verify-bundle', file, '--ledger-key', keyFile);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, part });
    expect(r.status).toBe(1);
  });

  it('refuses the bundle under another ledger key', () => {
    const other = join(dir, 'other.pem');
    writeFileSync(other, '-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n');
    const r = cli('verify-bundle', bundleFile, '--ledger-key', other);
    expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, part: 'ledger key' });
    expect(r.status).toBe(1);
  });
});
