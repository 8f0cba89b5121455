import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RPCServer } from 'ocpp-rpc';

// `sim --ocpp` as a user runs it (tsx over main.ts), against an in-process CSMS in strict mode.

const repoRoot = resolve(__dirname, '..', '..', '..', '..');
const tsx = join(repoRoot, 'node_modules', '.bin', 'tsx');
const dir = mkdtempSync(join(tmpdir(), 'sim-ocpp-cli-'));

function sim(args: string[]): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(tsx, [join(__dirname, '..', 'sim', 'main.ts'), ...args], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  return new Promise((r) => child.on('exit', (code) => r({ code, stderr })));
}

let server: InstanceType<typeof RPCServer>;
let url: string;
beforeAll(async () => {
  server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true } as never);
  server.auth((accept, reject, handshake) => (handshake.password?.toString() === `pw-${handshake.identity}` ? accept() : reject(401, 'Unauthorized')));
  server.on('client', (client) => {
    let tx = 100;
    client.handle(async ({ method }: { method: string }) => {
      if (method === 'BootNotification') return { status: 'Accepted', currentTime: new Date().toISOString(), interval: 300 };
      if (method === 'StartTransaction') return { transactionId: tx++, idTagInfo: { status: 'Accepted' } };
      if (method === 'StopTransaction') return { idTagInfo: { status: 'Accepted' } };
      return {};
    });
  });
  const http = await server.listen(0, '127.0.0.1');
  url = `ws://127.0.0.1:${(http.address() as AddressInfo).port}`;
});
afterAll(async () => server.close({ force: true } as never));

describe('sim --ocpp', () => {
  it('sends the fleet over OCPP, writes a JSON line per frame and the manifest, with a progress line', async () => {
    const passwords = join(dir, 'pw.json');
    writeFileSync(passwords, JSON.stringify({ 'CP-000001': 'pw-CP-000001', 'CP-000002': 'pw-CP-000002' }));
    const out = join(dir, 'frames.jsonl');
    const r = await sim(['--stations', '2', '--days', '1', '--seed', '5', '--out', out, '--ocpp', url, '--passwords', passwords]);
    expect(r).toMatchObject({ code: 0 });
    expect(r.stderr).toMatch(/simulating: 100% \(1\/1\) .*\d+ frames sent, 2 stations connected/);
    const frames = readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { identity: string; action: string; carries?: string });
    const manifest = JSON.parse(readFileSync(`${out}.manifest.json`, 'utf8')) as { counts: { deliveredDatasetMessages: number; logEntries: number } };
    expect(frames.filter((f) => f.carries?.includes(':ocmf:'))).toHaveLength(manifest.counts.deliveredDatasetMessages);
    expect(frames.filter((f) => f.action === 'StopTransaction').length).toBeGreaterThan(0);
    expect(frames.filter((f) => f.action === 'SecurityEventNotification')).toHaveLength(manifest.counts.logEntries);
    expect(new Set(frames.map((f) => f.identity))).toEqual(new Set(['CP-000001', 'CP-000002']));
  }, 60_000);

  it('says the status when the edge refuses a station, without a stack trace, and exits 1', async () => {
    const passwords = join(dir, 'wrong.json');
    writeFileSync(passwords, JSON.stringify({ 'CP-000001': 'not-the-password' }));
    const r = await sim(['--stations', '1', '--days', '1', '--seed', '5', '--out', '/dev/null', '--ocpp', url, '--passwords', passwords]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^sim: the edge refused CP-000001's connection: HTTP 401 Unauthorized$/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr).not.toContain('not-the-password');
  }, 60_000);

  it('names a station without a password, without a stack trace', async () => {
    const passwords = join(dir, 'partial.json');
    writeFileSync(passwords, JSON.stringify({ 'CP-000001': 'pw-CP-000001' }));
    const r = await sim(['--stations', '2', '--days', '1', '--seed', '5', '--out', '/dev/null', '--ocpp', url, '--passwords', passwords]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^sim: --passwords has no password for CP-000002$/m);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  }, 60_000);

  it('refuses flags that do not fit together (exit 2)', async () => {
    const r = await sim(['--stations', '1', '--days', '1', '--seed', '5', '--out', '-', '--ocpp', url.replace('ws:', 'wss:'), '--security-profile', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/security profile 1 is basic auth over ws:\/\//);
  }, 60_000);
});
