import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { KafkaTestTopic, TEST_BROKERS } from './testing/KafkaTestTopic';
import { TestPki } from './testing/TestPki';
import { TestStation } from './testing/TestStation';
import { writeStationsFile } from './testing/testEdgeConfig';

// The built service as an operator runs it: `node services/ocpp-edge/dist/main.js`, settings from
// the environment, real Kafka; refuses to start with bad settings; stops cleanly on SIGTERM.

const root = join(__dirname, '..', '..', '..');
const main = join(root, 'services', 'ocpp-edge', 'dist', 'main.js');
const stripAnsi = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, ''); // eslint-disable-line no-control-regex

function start(env: Record<string, string>): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [main], { cwd: root, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { child, output: () => stripAnsi(out), exited };
}

async function waitFor(output: () => string, pattern: RegExp, timeoutMs = 30_000): Promise<RegExpMatchArray> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const m = output().match(pattern);
    if (m) return m;
    if (Date.now() > until) throw new Error(`no ${pattern} in the service's output:\n${output()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let pki: TestPki;
let topic: KafkaTestTopic;

beforeAll(async () => {
  // jest's global setup builds the repository; this makes sure this package's dist/ is current.
  const b = spawnSync('npx', ['tsc', '-b', 'services/ocpp-edge/tsconfig.lib.json'], { cwd: root, encoding: 'utf8' });
  if (b.status !== 0) throw new Error(`build of services/ocpp-edge failed:\n${b.stdout}${b.stderr}`);
  pki = new TestPki();
  topic = await KafkaTestTopic.create('ocpp-frames-main-test');
});

afterAll(async () => {
  await topic?.dispose();
  pki?.dispose();
});

it('does not start with bad settings, and says every problem in one message', async () => {
  const p = start({ EDGE_MODE: 'proxy', EDGE_PORT: 'eighty', KAFKA_BROKERS: '127.0.0.1:19092' });
  expect(await p.exited).toBe(2);
  const out = p.output();
  expect(out).toContain('not starting: 5 problem(s) in the settings');
  for (const v of ['EDGE_PORT', 'EDGE_STATIONS_FILE', 'EDGE_TLS_CERT', 'EDGE_TLS_KEY', 'EDGE_UPSTREAM_URL']) expect(out).toContain(`  - ${v}`);
});

it('does not start when the Kafka topic is missing, and says so', async () => {
  const stations = await writeStationsFile(pki.dir, { 'CP-1': 'main-test-password-1' });
  const p = start({ EDGE_MODE: 'standalone', EDGE_HOST: '127.0.0.1', EDGE_PORT: '0', EDGE_STATIONS_FILE: stations, EDGE_TLS_CERT: pki.server.certFile, EDGE_TLS_KEY: pki.server.keyFile, KAFKA_BROKERS: TEST_BROKERS.join(','), KAFKA_TOPIC_OCPP_FRAMES: `${topic.name}-missing` });
  expect(await p.exited).toBe(2);
  expect(p.output()).toMatch(/not starting: Kafka at 127\.0\.0\.1:19092 cannot be used \(Kafka topic .*-missing does not exist/);
});

it('serves stations, then on SIGTERM closes them, flushes Kafka and exits 0 (in-flight calls: OcppEdgeServer.spec.ts)', async () => {
  const stations = await writeStationsFile(pki.dir, { 'CP-MAIN': 'main-test-password-1' });
  const p = start({
    EDGE_MODE: 'standalone',
    EDGE_HOST: '127.0.0.1',
    EDGE_PORT: '0',
    EDGE_SECURITY_PROFILES: '2,3',
    EDGE_STATIONS_FILE: stations,
    EDGE_TLS_CERT: pki.server.certFile,
    EDGE_TLS_KEY: pki.server.keyFile,
    EDGE_TLS_CA: pki.ca.certFile,
    KAFKA_BROKERS: TEST_BROKERS.join(','),
    KAFKA_TOPIC_OCPP_FRAMES: topic.name,
    EDGE_INSTANCE_ID: 'edge-main-test',
  });
  try {
    const [, port] = await waitFor(p.output, /listening on wss:\/\/127\.0\.0\.1:(\d+)\/<identity>/);
    const s = new TestStation({ url: `wss://localhost:${port}`, identity: 'CP-MAIN', password: 'main-test-password-1', ca: pki.ca.cert });
    await s.connect();
    await s.call('MeterValues', { connectorId: 1, meterValue: [{ timestamp: '2025-01-01T00:00:00Z', sampledValue: [{ value: 'OCMF|{}|{}', format: 'SignedData' }] }] });
    const rec = await topic.waitFor((r) => r.key === 'CP-MAIN');
    expect(rec.record).toMatchObject({ edgeInstance: 'edge-main-test', frame: s.sentCall('MeterValues') });
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect((await s.closed).code).toBe(1001);
    expect(p.output()).toMatch(/SIGTERM: no new connections[\s\S]*Kafka producer flushed and disconnected[\s\S]*stopped/);
  } finally {
    p.child.kill('SIGKILL');
  }
});
