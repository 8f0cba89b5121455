import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

/** Tests only: the eMSP (or hub) of emspServer.mjs as a child process; stopped and started again on the same port to play "down". */
export class TestEmsp {
  private child: ChildProcess | undefined;
  port = 0;
  /** Where the eMSP keeps its state (state.json: its tokens, what it received). */
  readonly dir = mkdtempSync(join(tmpdir(), 'emsp-'));

  constructor(private readonly party: { country: string; party: string; role?: 'EMSP' | 'HUB'; relays?: string[] } = { country: 'DE', party: 'EMP' }) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(process.execPath, [join(__dirname, 'emspServer.mjs'), '--port', String(this.port), '--state', join(this.dir, 'state.json'), '--country', this.party.country, '--party', this.party.party, ...(this.party.role ? ['--role', this.party.role] : []), ...(this.party.relays ? ['--relays', this.party.relays.join(',')] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
    this.child = child;
    const lines = createInterface({ input: child.stdout! });
    const [line] = (await Promise.race([once(lines, 'line'), once(child, 'exit').then(() => { throw new Error('the test eMSP exited before listening'); })])) as [string];
    this.port = JSON.parse(line).port;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
    this.child = undefined;
  }

  async admin<T = any>(path: string, body: unknown = {}): Promise<T> {
    const res = await fetch(`${this.url}/admin/${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    return (await res.json()) as T;
  }

  async dispose(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
