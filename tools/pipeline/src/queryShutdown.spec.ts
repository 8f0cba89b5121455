import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ledger, SqliteEventStore } from '@metrology-ledger/ledger';
import { builtEntry, freePort } from './KafkaPipelineHarness';

// The built query service (node services/query/dist/main.js) stopped with SIGTERM while it streams a
// large export to a slow client: it stops listening, finishes the export, closes its stores and exits
// 0; a client that never reads is cut at the end of the grace period, and the service still exits 0.
const dir = mkdtempSync(join(tmpdir(), 'query-shutdown-'));
const ledgerFile = join(dir, 'ledger.sqlite');
const AUDITOR = randomBytes(16).toString('hex');
const DATASETS = 4_000;
const PADDING = 'x'.repeat(10_000);

beforeAll(async () => {
  // One station with 4 000 datasets of about 10 kB each: an export of about 40 MB, far more than
  // the socket buffers between the service and a client that stops reading.
  const ledger = new Ledger(new SqliteEventStore(ledgerFile));
  for (let n = 1; n <= DATASETS; n++) {
    await ledger.recordDataset({
      stationId: 'CP-1',
      publicKey: 'abcd',
      paginationContext: 'T',
      counter: String(n),
      pagination: `T${n}`,
      ocmf: `OCMF|{"PG":"T${n}","XX":"${PADDING}"}|{}`,
      payloadSha256: String(n),
      verification: { verdict: 'valid', reason: 'ok', verifier: 'test', verifiedAt: 't' },
      receipt: { messageId: `m${n}`, receivedAt: 't', source: 'test' },
    });
  }
  await ledger.store.close();
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function startQuery(env: Record<string, string> = {}): Promise<{ child: ChildProcess; port: number; output: () => string }> {
  const port = await freePort();
  const child = spawn(process.execPath, [builtEntry('services/query/dist/main.js')], {
    env: { ...process.env, LEDGER_STORE: 'sqlite', LEDGER_SQLITE_FILE: ledgerFile, QUERY_READ_MODEL_FILE: join(dir, `query-${port}.sqlite`), QUERY_PORT: String(port), QUERY_HOST: '127.0.0.1', METRICS_PORT: '0', QUERY_API_KEYS: `${AUDITOR}=auditor`, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  for (const s of [child.stdout!, child.stderr!]) s.setEncoding('utf8').on('data', (t: string) => (output += t));
  for (;;) {
    if (child.exitCode !== null) throw new Error(`query exited with ${child.exitCode}: ${output}`);
    if (await fetch(`http://127.0.0.1:${port}/health/ready`).then((r) => r.ok, () => false)) return { child, port, output: () => output };
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Starts the station's ledger export and stops reading it after the first chunk. */
function pausedExport(port: number): Promise<{ res: IncomingMessage; first: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/auditor/stations/CP-1/ledger', headers: { Authorization: `Bearer ${AUDITOR}` }, agent: false }, (res) => {
      res.once('data', (first: Buffer) => {
        res.pause();
        resolve({ res, first });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Reads the rest of a paused answer; `complete` is false when the connection was cut. */
function readRest(res: IncomingMessage, first: Buffer): Promise<{ body: string; complete: boolean }> {
  return new Promise((resolve) => {
    const chunks = [first];
    res.on('data', (c: Buffer) => chunks.push(c));
    const done = () => resolve({ body: Buffer.concat(chunks).toString('utf8'), complete: res.complete });
    res.on('end', done);
    res.on('aborted', done);
    res.on('error', done);
    res.resume();
  });
}

function exitOf(child: ChildProcess, ms: number): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`query did not exit within ${ms} ms`)), ms);
    child.once('exit', (code) => (clearTimeout(timer), resolve(code)));
  });
}

describe('the built query service on SIGTERM', () => {
  it('stops listening, finishes a slow export, closes its stores and exits 0', async () => {
    const q = await startQuery();
    try {
      const { res, first } = await pausedExport(q.port);
      expect(res.statusCode).toBe(200);
      q.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 1_500));
      // Still finishing the export for the client that is not reading...
      expect(q.child.exitCode).toBeNull();
      // ...but taking no new connection.
      await expect(fetch(`http://127.0.0.1:${q.port}/health/live`)).rejects.toThrow();
      const rest = await readRest(res, first);
      expect(rest.complete).toBe(true);
      const lines = rest.body.split('\n').filter(Boolean);
      expect(lines).toHaveLength(DATASETS);
      expect(JSON.parse(lines.at(-1)!)).toMatchObject({ type: 'DatasetRecorded', data: { counter: String(DATASETS) } });
      expect(await exitOf(q.child, 10_000)).toBe(0);
      expect(q.output()).toMatch(/"msg":"SIGTERM: stopping within 25000 ms[^"]*1 request\(s\) under way are finished"/);
      expect(q.output()).toMatch(/"msg":"stopped \(SIGTERM\) after \d+ ms"/);
    } finally {
      q.child.kill('SIGKILL');
    }
  });

  it('cuts a client that does not read by the end of the grace period, and still exits 0 in time', async () => {
    const q = await startQuery({ SHUTDOWN_GRACE_MS: '2000' });
    try {
      const { res, first } = await pausedExport(q.port);
      const started = Date.now();
      q.child.kill('SIGTERM');
      expect(await exitOf(q.child, 6_000)).toBe(0);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_900);
      const rest = await readRest(res, first);
      expect(rest.complete).toBe(false);
      expect(rest.body.split('\n').filter(Boolean).length).toBeLessThan(DATASETS);
      expect(q.output()).toContain('1 request(s) still running at the end of the grace period were cut');
    } finally {
      q.child.kill('SIGKILL');
    }
  });
});
