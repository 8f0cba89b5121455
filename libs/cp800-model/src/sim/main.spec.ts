import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

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
});
