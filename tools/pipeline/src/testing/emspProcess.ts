import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';

/** The query service's test eMSP (a plain node:http OCPI 2.2.1 eMSP that checks every CDR and verifies its OCMF), run from its source file. */
const EMSP_SERVER = resolve(__dirname, '..', '..', '..', '..', 'services', 'query', 'src', 'ocpi', 'testing', 'emspServer.mjs');

/** One CDR the eMSP received: the problems it found (OCPI object, credit rules, signature) and the OCMF it verified. */
export interface ReceivedCdr {
  cdr: { id: string; credit?: boolean; total_energy: number; cdr_token: { uid: string; party_id: string }; signed_data: { url?: string } } & Record<string, unknown>;
  problems: string[];
  verdict: string | null;
  ocmf: string | null;
}

/** A separate eMSP process for an end-to-end run: started, told what to do over its test channel (/admin), stopped. */
export async function startEmspProcess(party: { country: string; party: string }): Promise<{
  admin: <T = unknown>(path: string, body?: unknown) => Promise<T>;
  received: () => Promise<{ received: ReceivedCdr[]; posts: number }>;
  dispose: () => Promise<void>;
}> {
  const dir = mkdtempSync(join(tmpdir(), 'emsp-e2e-'));
  const child: ChildProcess = spawn(process.execPath, [EMSP_SERVER, '--port', '0', '--state', join(dir, 'state.json'), '--country', party.country, '--party', party.party], { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await Promise.race([once(createInterface({ input: child.stdout! }), 'line'), once(child, 'exit').then(() => Promise.reject(new Error('the test eMSP exited before listening')))])) as [string];
  const url = `http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`;
  const admin = async <T>(path: string, body: unknown = {}): Promise<T> => {
    const res = await fetch(`${url}/admin/${path}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
    return (await res.json()) as T;
  };
  return {
    admin,
    received: () => admin('state'),
    dispose: async () => {
      if (child.exitCode === null) {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
