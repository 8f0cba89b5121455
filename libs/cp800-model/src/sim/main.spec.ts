import { spawn, spawnSync } from 'node:child_process';
import { createReadStream, existsSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { manifestDestination, outputKind } from './manifestDestination';

const repoRoot = resolve(__dirname, '..', '..', '..', '..');
const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
const sim = (args: string[]) => spawnSync(tsx, [join(__dirname, 'main.ts'), ...args], { encoding: 'utf8', cwd: repoRoot });

describe('sim CLI', () => {
  it('writes JSON lines and a manifest beside them, with plain progress when not on a terminal', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-'));
    const out = join(dir, 'fleet.jsonl');
    const r = sim(['--stations', '5', '--days', '2', '--seed', '3', '--faults', 'drop=0.1', '--out', out]);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/simulating: 100%/);
    expect(r.stderr).not.toMatch(/\r/);
    const lines = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    const manifest = JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8'));
    expect(lines.length).toBe(manifest.counts.messages);
    expect(lines.filter((l) => l.kind === 'ocmf-dataset').length).toBe(manifest.counts.deliveredDatasetMessages);
    expect(manifest.registry).toHaveLength(5);
    expect(manifest.faults.drop).toBe(0.1);
  });

  it('writes to standard output with --out -', () => {
    const r = sim(['--stations', '2', '--days', '1', '--seed', '3', '--out', '-', '--workers', '1']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim().split('\n').every((l) => JSON.parse(l).stationId)).toBe(true);
  });

  it('says what is wrong with the command line', () => {
    const r = sim(['--stations', 'many', '--days', '1', '--seed', '1', '--out', '-']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--stations must be an integer/);
    expect(sim(['--stations', '1', '--days', '1', '--seed', '1', '--out', '-', '--faults', 'meteor=1']).stderr).toMatch(/unknown fault "meteor"/);
  });

  it('writes no manifest with --out - unless --manifest is given, and says so on stderr', () => {
    const r = sim(['--stations', '2', '--days', '1', '--seed', '3', '--out', '-', '--workers', '1']);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/no manifest written: --out is standard output.*pass --manifest <file>/);
    expect(existsSync(join(repoRoot, '-.manifest.json'))).toBe(false);

    const dir = mkdtempSync(join(tmpdir(), 'sim-'));
    const manifestFile = join(dir, 'truth.json');
    const withManifest = sim(['--stations', '2', '--days', '1', '--seed', '3', '--out', '-', '--workers', '1', '--manifest', manifestFile]);
    expect(withManifest.status).toBe(0);
    expect(withManifest.stderr).not.toMatch(/no manifest written/);
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    expect(withManifest.stdout.trim().split('\n')).toHaveLength(manifest.counts.messages);
  });

  it('writes no manifest beside a pipe (nothing is created next to it), and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-'));
    const fifo = join(dir, 'lines');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const child = spawn(tsx, [join(__dirname, 'main.ts'), '--stations', '2', '--days', '1', '--seed', '3', '--workers', '1', '--out', fifo], { cwd: repoRoot });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const exited = new Promise<number | null>((res) => child.on('close', res));
    const received = await new Promise<string>((res, rej) => {
      let text = '';
      createReadStream(fifo, 'utf8')
        .on('data', (d) => (text += d))
        .on('end', () => res(text))
        .on('error', rej);
    });
    expect(await exited).toBe(0);
    expect(stderr).toMatch(/no manifest written: --out is ".*lines", a pipe, not a regular file/);
    expect(readdirSync(dir)).toEqual(['lines']);
    expect(received.trim().split('\n').every((l) => JSON.parse(l).stationId)).toBe(true);
  }, 60_000);

  it('refuses a directory as --out', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-'));
    const r = sim(['--stations', '1', '--days', '1', '--seed', '1', '--out', dir]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/is a directory/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('refuses a --manifest that names the --out file, and leaves that file as it was', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-'));
    const file = join(dir, 'fleet.jsonl');
    writeFileSync(file, 'kept\n');
    const r = sim(['--stations', '1', '--days', '1', '--seed', '1', '--out', file, '--manifest', join(dir, '.', 'fleet.jsonl')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/names the same file as --out/);
    expect(readFileSync(file, 'utf8')).toBe('kept\n');
  });

  it('says which file it cannot write, before simulating, instead of crashing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-'));
    for (const args of [['--out', join(dir, 'missing', 'fleet.jsonl')], ['--out', join(dir, 'fleet.jsonl'), '--manifest', join(dir, 'missing', 'm.json')]]) {
      const r = sim(['--stations', '1', '--days', '1', '--seed', '1', ...args]);
      expect({ status: r.status, stderr: r.stderr }).toEqual({ status: 2, stderr: expect.stringMatching(/^sim: cannot write ".*missing.*" \(ENOENT\): choose a file you can write/) });
    }
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('manifestDestination', () => {
  it('derives <out>.manifest.json only for a regular file path, existing or new', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-'));
    const file = join(dir, 'fleet.jsonl');
    expect(outputKind(file)).toBe('new');
    expect(manifestDestination(file, undefined, outputKind(file))).toEqual({ path: `${file}.manifest.json` });
    writeFileSync(file, '');
    expect(outputKind(file)).toBe('regular');
    expect(manifestDestination(file, undefined, 'regular')).toEqual({ path: `${file}.manifest.json` });
  });

  it('writes none beside /dev/null (only examined here, never written), a link to it, or standard output', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-'));
    const link = join(dir, 'null');
    symlinkSync('/dev/null', link);
    for (const out of ['/dev/null', link]) {
      expect(outputKind(out)).toBe('device');
      const d = manifestDestination(out, undefined, outputKind(out));
      expect(d.path).toBeUndefined();
      expect(d.note).toMatch(/a device, not a regular file.*--manifest <file>/);
    }
    expect(manifestDestination('-', undefined, outputKind('-')).note).toMatch(/standard output/);
  });

  it('always takes --manifest when given', () => {
    expect(manifestDestination('/dev/null', '/tmp/x/truth.json', 'device')).toEqual({ path: '/tmp/x/truth.json' });
    expect(manifestDestination('-', 'truth.json', 'stdout')).toEqual({ path: 'truth.json' });
  });
});
