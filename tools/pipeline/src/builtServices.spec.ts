import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ledger, SqliteEventStore } from '@metrology-ledger/ledger';
import { builtEntry, freePort } from './KafkaPipelineHarness';

// The services as users run them: `node …/dist/…` from the build, not the TypeScript sources under
// jest. An outside probe found validation switched off in the way the services were started (tsx
// emits no decorator metadata, so every class-validator rule was skipped while ts-jest tests passed);
// these tests ask the built artefacts what that probe asked.
const dir = mkdtempSync(join(tmpdir(), 'built-services-'));
const ledgerFile = join(dir, 'ledger.sqlite');
const keys = { emsp: randomBytes(16).toString('hex'), auditor: randomBytes(16).toString('hex'), operator: randomBytes(16).toString('hex') };
let query: ChildProcess;
let base: string;
let output = '';

async function get(path: string, key?: string, init: RequestInit = {}): Promise<{ status: number; body: unknown }> {
  const r = await fetch(`${base}${path}`, { ...init, headers: { ...(key ? { Authorization: `Bearer ${key}` } : {}), 'content-type': 'application/json', ...(init.headers ?? {}) } });
  const text = await r.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: kept as text
  }
  return { status: r.status, body };
}

beforeAll(async () => {
  // A ledger with one dataset whose pagination counter has 61 digits (it hung every gap reader).
  const ledger = new Ledger(new SqliteEventStore(ledgerFile));
  const dataset = (counter: string) => ({
    stationId: 'CP-1',
    publicKey: 'abcd',
    paginationContext: 'T',
    counter,
    pagination: `T${counter}`,
    ocmf: `OCMF|{"PG":"T${counter}"}|{}`,
    payloadSha256: counter,
    verification: { verdict: 'valid' as const, reason: 'ok', verifier: 'test', verifiedAt: 't' },
    receipt: { messageId: `m${counter}`, receivedAt: 't', source: 'test' },
  });
  await ledger.recordDataset(dataset('1'));
  await ledger.recordDataset(dataset(`1${'0'.repeat(60)}`));
  // An OCPP 2.0.1 transaction with seqNos 0 and 2^53: one missing range, never walked.
  for (const seqNo of ['0', String(2n ** 53n)]) {
    const receipt = { messageId: `CP-1:seq-${seqNo}`, receivedAt: 't', source: 'test', messageSha256: seqNo };
    await ledger.recordTransactionFact({ type: 'OcppTransactionEventRecorded', data: { stationId: 'CP-1', transactionId: 'tx-1', eventType: 'Updated', seqNo, triggerReason: 'MeterValuePeriodic', timestamp: 't', receipt } });
  }
  await ledger.store.close();

  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  query = spawn(process.execPath, [builtEntry('services/query/dist/main.js')], {
    env: {
      ...process.env,
      LEDGER_STORE: 'sqlite',
      LEDGER_SQLITE_FILE: ledgerFile,
      QUERY_READ_MODEL_FILE: join(dir, 'query.sqlite'),
      QUERY_PORT: String(port),
      QUERY_HOST: '127.0.0.1',
      QUERY_API_KEYS: `${keys.emsp}=emsp:DE-EMP-ALPHA;${keys.auditor}=auditor;${keys.operator}=operator`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  query.stdout!.on('data', (b) => (output += b));
  query.stderr!.on('data', (b) => (output += b));
  for (;;) {
    if (query.exitCode !== null) throw new Error(`query exited with ${query.exitCode}: ${output}`);
    if (await fetch(`${base}/verify`).then((r) => r.ok, () => false)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
});

afterAll(() => {
  query?.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe('the built query service (node services/query/dist/main.js)', () => {
  it('validates parameters: a negative, too large or unknown parameter or a bad date is a 400', async () => {
    for (const q of ['limit=-1', 'limit=501', 'foo=1', 'from=yesterday']) expect({ q, status: (await get(`/emsp/sessions?${q}`, keys.emsp)).status }).toEqual({ q, status: 400 });
    expect((await get('/emsp/sessions?limit=5', keys.emsp)).status).toBe(200);
  });

  it('documents its parameters in the OpenAPI document', async () => {
    const doc = (await get('/docs-json', keys.auditor)).body as { paths: Record<string, { get?: { parameters?: { name: string }[] } }> };
    expect(doc.paths['/emsp/sessions'].get!.parameters!.map((p) => p.name)).toEqual(expect.arrayContaining(['limit', 'cursor', 'from', 'to']));
  });

  it('refuses a bad commissioning record with 400 and stores nothing; compliance still answers', async () => {
    const r = await get('/operator/stations/CP-X9/commissioning', keys.operator, { method: 'PUT', body: JSON.stringify({ commissionedAt: 'x', stationId: 'CP-B1' }) });
    expect(r.status).toBe(400);
    const deadlines = await get('/compliance/deadlines', keys.auditor);
    expect(deadlines.status).toBe(200);
    expect(JSON.stringify(deadlines.body)).not.toMatch(/CP-B1|CP-X9/);
  });

  it('answers the gaps of a 61-digit counter as one range', async () => {
    const r = await get('/auditor/stations/CP-1/gaps', keys.auditor);
    expect(r.status).toBe(200);
    expect(JSON.stringify(r.body)).toContain(`"from":"2","to":"${'9'.repeat(60)}"`);
  });

  it('does not serve the API document to a request without a key, whatever the case of the path', async () => {
    for (const path of ['/docs-json', '/DOCS-json', '/Docs-json', '/DOCS', '/docs']) expect({ path, status: (await get(path)).status }).not.toEqual({ path, status: 200 });
  });
});

describe('a reader pointed at a ledger that does not exist', () => {
  it('the query service says so and exits 2, creating nothing', () => {
    const missing = join(dir, 'mistyped', 'ledger.sqlite');
    const r = spawnSync(process.execPath, [builtEntry('services/query/dist/main.js')], {
      env: { ...process.env, LEDGER_STORE: 'sqlite', LEDGER_SQLITE_FILE: missing, QUERY_READ_MODEL_FILE: join(dir, 'q2.sqlite'), QUERY_PORT: '0', METRICS_PORT: '0', QUERY_HOST: '127.0.0.1', QUERY_API_KEYS: `${keys.auditor}=auditor` },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status).toBe(2);
    expect(r.stdout + r.stderr).toContain(`there is no ledger at LEDGER_SQLITE_FILE=${missing}`);
    expect(existsSync(missing)).toBe(false);
  });

  it('the ledger CLI says so and exits 2', () => {
    const r = spawnSync(process.execPath, [builtEntry('services/ledger/dist/cli/main.js'), 'gaps'], { env: { ...process.env, LEDGER_SQLITE_FILE: join(dir, 'nope.sqlite') }, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('there is no ledger at LEDGER_SQLITE_FILE=');
  });
});

describe('the built ledger CLI (node services/ledger/dist/cli/main.js)', () => {
  it('reports the gaps of a 61-digit counter at once', () => {
    const r = spawnSync(process.execPath, [builtEntry('services/ledger/dist/cli/main.js'), 'gaps', '--station', 'CP-1'], { env: { ...process.env, LEDGER_SQLITE_FILE: ledgerFile }, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).streams[0].gaps).toEqual([{ from: '2', to: '9'.repeat(60) }]);
  });

  it('reports the missing OCPP 2.0.1 seqNos of a transaction, a seqNo of 2^53 as one range', () => {
    const r = spawnSync(process.execPath, [builtEntry('services/ledger/dist/cli/main.js'), 'seqno-gaps', '--station', 'CP-1'], { env: { ...process.env, LEDGER_SQLITE_FILE: ledgerFile }, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).stations[0].transactions).toEqual([{ transactionId: 'tx-1', lowestSeqNo: '0', highestSeqNo: String(2n ** 53n), gaps: [{ from: '1', to: String(2n ** 53n - 1n) }], missing: String(2n ** 53n - 1n), evidence: [expect.objectContaining({ verdict: 'undetermined' })] }]);
  });
});

describe('the main job (node tools/pipeline/dist/embeddedPipeline.js, what `npm start` runs)', () => {
  it('runs a small fleet end to end and matches the ground truth', () => {
    const r = spawnSync(process.execPath, [builtEntry('tools/pipeline/dist/embeddedPipeline.js')], { cwd: dir, env: { ...process.env, SIM_STATIONS: '3', SIM_DAYS: '1', SIM_SEED: '5' }, encoding: 'utf8', timeout: 170_000 });
    expect(r.stdout).toContain("matches the simulator's ground truth: yes");
    // OCPI: a test eMSP process registers and receives the CDRs of its sessions, each checked and verified.
    expect(r.stdout).toContain('test eMSP DE*EMP registered (token C received)');
    expect(Number(/(\d+) delivered to the test eMSP, 0 to retry/.exec(r.stdout)?.[1])).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/checked by the eMSP: valid CDR, signature valid/);
    expect(r.status).toBe(0);
  });
});
