import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Ledger, SqliteEventStore } from '@metrology-ledger/ledger';
import { SignedTestStation } from '../testing/SignedTestStation';
import { TestEmsp } from './testing/TestEmsp';

// What users run: the built service (node services/query/dist/main.js) with OCPI on, its worker on
// its own timer, against the eMSP process: a session in the ledger reaches the eMSP as a verified
// CDR, and no credentials token appears in the service's log.
const OPERATOR = 'operator-key-0123456789abcdef';
const dir = mkdtempSync(join(tmpdir(), 'ocpi-built-'));
const ledgerFile = join(dir, 'ledger.sqlite');
const station = new SignedTestStation('CP-B1');
const dataset = station.dataset('1', { emspId: 'DE-EMP' });
let child: ChildProcess;
let output = '';
let port = 0;
const emsp = new TestEmsp();

const freePort = () =>
  new Promise<number>((done) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => done(p));
    });
  });
const operator = (method: string, path: string, body?: unknown) =>
  fetch(`http://127.0.0.1:${port}${path}`, { method, headers: { Authorization: `Bearer ${OPERATOR}`, 'Content-Type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

beforeAll(async () => {
  const ledger = new Ledger(new SqliteEventStore(ledgerFile));
  await ledger.recordDataset(dataset);
  await ledger.store.close();
  port = await freePort();
  child = spawn(process.execPath, [resolve(__dirname, '../../dist/main.js')], {
    env: {
      PATH: process.env.PATH,
      LEDGER_SQLITE_FILE: ledgerFile,
      QUERY_READ_MODEL_FILE: join(dir, 'query.sqlite'),
      OCPI_STORE_FILE: join(dir, 'ocpi.sqlite'),
      QUERY_PORT: String(port),
      METRICS_PORT: '0',
      QUERY_API_KEYS: `${OPERATOR}=operator`,
      QUERY_REFRESH_MS: '200',
      OCPI_PUBLIC_URL: `http://127.0.0.1:${port}`,
      OCPI_COUNTRY_CODE: 'DE',
      OCPI_PARTY_ID: 'CPO',
      OCPI_PUSH_INTERVAL_MS: '200',
      OCPI_RETRY_MIN_MS: '200',
      OCPI_TOKEN_KEY: 'built-service-token-key-0123456789ab',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const s of [child.stdout!, child.stderr!]) s.setEncoding('utf8').on('data', (t: string) => (output += t));
  while (!(await fetch(`http://127.0.0.1:${port}/health/ready`).then((r) => r.ok, () => false))) {
    if (child.exitCode !== null) throw new Error(`query exited with ${child.exitCode}: ${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  await emsp.start();
});

afterAll(async () => {
  await emsp.dispose();
  if (child && child.exitCode === null) {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  }
  rmSync(dir, { recursive: true, force: true });
});

it('connects an eMSP and delivers the CDR of a recorded session by itself; no token in the log', async () => {
  const party = await (await operator('POST', '/operator/ocpi/parties', { emspId: 'DE-EMP', countryCode: 'DE', partyId: 'EMP', name: 'Test eMSP' })).json();
  expect((await operator('PUT', '/operator/ocpi/stations/CP-B1/location', { locationId: 'L1', address: 'a', city: 'c', country: 'DEU', latitude: '50.00000', longitude: '6.00000', evseIdPrefix: 'DE*CPO*E1', connectorStandard: 'IEC_62196_T2', connectorFormat: 'SOCKET', powerType: 'AC_3_PHASE' })).status).toBe(200);
  expect((await emsp.admin('register', { versionsUrl: party.versionsUrl, tokenA: party.tokenA })).body.status_code).toBe(1000);
  let state = await emsp.admin('state');
  while (state.received.length === 0) {
    await new Promise((r) => setTimeout(r, 100));
    state = await emsp.admin('state');
  }
  expect(state.received).toHaveLength(1);
  expect(state.received[0]).toMatchObject({ problems: [], verdict: 'valid', ocmf: dataset.ocmf });
  const stateFile = readFileSync(join(emsp.dir, 'state.json'), 'utf8');
  const tokenB = JSON.parse(stateFile).tokenB as string;
  const tokenC = JSON.parse(stateFile).tokenC as string;
  for (const secret of [party.tokenA, tokenB, tokenC, Buffer.from(tokenB).toString('base64'), Buffer.from(tokenC).toString('base64'), OPERATOR]) expect(output).not.toContain(secret);
  expect(output).toContain('OCPI 2.2.1: versions at');
  // The OCPI store holds token B sealed and no token we issued in the clear.
  const stored = ['ocpi.sqlite', 'ocpi.sqlite-wal'].filter((f) => existsSync(join(dir, f))).map((f) => readFileSync(join(dir, f)).toString('latin1')).join('');
  for (const secret of [party.tokenA, tokenB, tokenC]) expect(stored).not.toContain(secret);
});
