import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
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
  expect(JSON.parse(out.split('\n')[0])).toMatchObject({ level: 'fatal', service: 'ocpp-edge', problems: expect.arrayContaining([expect.stringMatching(/^EDGE_PORT/)]) });
  for (const v of ['EDGE_PORT', 'EDGE_STATIONS_FILE', 'EDGE_TLS_CERT', 'EDGE_TLS_KEY', 'EDGE_UPSTREAM_URL']) expect(out).toContain(`  - ${v}`);
});

it('does not start when the Kafka topic is missing, and says so', async () => {
  const stations = await writeStationsFile(pki.dir, { 'CP-1': 'main-test-password-1' });
  const p = start({ EDGE_MODE: 'standalone', EDGE_HOST: '127.0.0.1', EDGE_PORT: '0', EDGE_STATIONS_FILE: stations, EDGE_TLS_CERT: pki.server.certFile, EDGE_TLS_KEY: pki.server.keyFile, KAFKA_BROKERS: TEST_BROKERS.join(','), KAFKA_TOPIC_OCPP_FRAMES: `${topic.name}-missing` });
  expect(await p.exited).toBe(2);
  expect(p.output()).toMatch(/not starting: Kafka at 127\.0\.0\.1:19092 cannot be used \(Kafka topic .*-missing does not exist/);
});

it('serves stations with health, metrics and JSON logs (no password or key in any line), then on SIGTERM closes them, flushes Kafka and exits 0 within the grace period (in-flight calls: OcppEdgeServer.spec.ts)', async () => {
  const passwords = { 'CP-MAIN': 'main-test-password-1', 'CP-OTHER': 'other-station-password-2' };
  const wrongPassword = 'wrong-password-attempt-3';
  const stations = await writeStationsFile(pki.dir, passwords);
  const graceMs = 8_000;
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
    EDGE_HEALTH_HOST: '127.0.0.1',
    EDGE_HEALTH_PORT: '0',
    METRICS_HOST: '127.0.0.1',
    METRICS_PORT: '0',
    LOG_LEVEL: 'debug',
    SHUTDOWN_GRACE_MS: String(graceMs),
  });
  try {
    const [, healthPort, metricsPort] = await waitFor(p.output, /"healthPort":(\d+),"metricsPort":(\d+)/);
    const [, port] = await waitFor(p.output, /listening on wss:\/\/127\.0\.0\.1:(\d+)\/<identity>/);
    const get = async (portNo: string, path: string) => {
      const r = await fetch(`http://127.0.0.1:${portNo}${path}`);
      return { status: r.status, text: await r.text() };
    };
    expect(await get(healthPort, '/health/live')).toMatchObject({ status: 200 });
    const ready = await get(healthPort, '/health/ready');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.text)).toMatchObject({ status: 'ok', info: { kafka: { status: 'up' }, listener: { status: 'up' } } });

    const s = new TestStation({ url: `wss://localhost:${port}`, identity: 'CP-MAIN', password: passwords['CP-MAIN'], ca: pki.ca.cert });
    await s.connect();
    await s.call('MeterValues', { connectorId: 1, meterValue: [{ timestamp: '2025-01-01T00:00:00Z', sampledValue: [{ value: 'OCMF|{}|{}', format: 'SignedData' }] }] });
    const storedFrame = s.sentCall('MeterValues');
    await expect(s.call('MeterValues', { connectorId: 1, meterValue: [{ timestamp: 'yesterday', sampledValue: [] }] })).rejects.toMatchObject({ rpcErrorCode: 'FormationViolation' });
    const wrong = new TestStation({ url: `wss://localhost:${port}`, identity: 'CP-OTHER', password: wrongPassword, ca: pki.ca.cert });
    await expect(wrong.connect()).rejects.toMatchObject({ code: 401 });
    const rec = await topic.waitFor((r) => r.key === 'CP-MAIN');
    expect(rec.record).toMatchObject({ edgeInstance: 'edge-main-test', frame: storedFrame });

    const scraped = await get(metricsPort, '/metrics');
    expect(scraped.status).toBe(200);
    const value = (series: string) => {
      const line = scraped.text.split('\n').find((l) => l.startsWith(`${series} `));
      return line === undefined ? undefined : Number(line.slice(series.length + 1));
    };
    expect(value('edge_connected_stations{ocpp_version="1.6",security_profile="2"}')).toBe(1);
    expect(value('edge_frames_total{action="MeterValues",direction="from_station"}')).toBe(1);
    expect(value('edge_frames_published_total{action="MeterValues",message_type="CALL",outcome="stored"}')).toBe(1);
    expect(value('edge_kafka_send_duration_seconds_count{outcome="ok"}')).toBeGreaterThanOrEqual(1);
    expect(value('edge_handshake_refusals_total{reason="wrong-password"}')).toBe(1);
    expect(value('edge_bad_frames_total')).toBe(1);
    expect(scraped.text).toContain('process_cpu_user_seconds_total');

    const stopAsked = Date.now();
    p.child.kill('SIGTERM');
    expect(await p.exited).toBe(0);
    expect(Date.now() - stopAsked).toBeLessThan(graceMs);
    expect((await s.closed).code).toBe(1001);
    const out = p.output();
    expect(out).toMatch(/SIGTERM: stopping within 8000 ms[\s\S]*Kafka producer flushed and disconnected[\s\S]*stopped \(SIGTERM\)/);

    // Every line is JSON with the service and a level word; station lines carry the identity, frame lines the OCPP message id and action.
    const lines = out.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.every((l) => l.service === 'ocpp-edge' && typeof l.level === 'string' && typeof l.time === 'string')).toBe(true);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ level: 'info', identity: 'CP-MAIN', ocppVersion: '1.6', securityProfile: 2, msg: expect.stringContaining('connected') }),
        expect.objectContaining({ level: 'debug', identity: 'CP-MAIN', action: 'MeterValues', ocppMessageId: expect.any(String), messageId: expect.stringMatching(/^CP-MAIN:/) }),
        expect.objectContaining({ level: 'warn', identity: 'CP-MAIN', msg: expect.stringContaining('bad frame') }),
        expect.objectContaining({ level: 'warn', identity: 'CP-OTHER', reason: 'wrong-password' }),
      ]),
    );
    // No station password (right or wrong) and no line of the server's private key.
    for (const secret of [...Object.values(passwords), wrongPassword, Buffer.from(`CP-MAIN:${passwords['CP-MAIN']}`).toString('base64')]) expect(out).not.toContain(secret);
    const keyBody = readFileSync(pki.server.keyFile, 'utf8').split('\n').filter((l) => l.length > 20 && !l.startsWith('-----'));
    expect(keyBody.length).toBeGreaterThan(0);
    for (const l of keyBody) expect(out).not.toContain(l);
    expect(out).not.toContain('PRIVATE KEY');
  } finally {
    p.child.kill('SIGKILL');
  }
});

it('never hands a 1.6 transaction id out again after a fast restart (EDGE_TRANSACTION_ID_FILE), and does not start when the mark is unreadable', async () => {
  const password = 'txid-test-password-1';
  const stations = await writeStationsFile(pki.dir, { 'CP-TXID': password });
  const markFile = join(pki.dir, 'transaction-ids');
  const env = {
    EDGE_MODE: 'standalone',
    EDGE_HOST: '127.0.0.1',
    EDGE_PORT: '0',
    EDGE_STATIONS_FILE: stations,
    EDGE_TLS_CERT: pki.server.certFile,
    EDGE_TLS_KEY: pki.server.keyFile,
    EDGE_TRANSACTION_ID_FILE: markFile,
    KAFKA_BROKERS: TEST_BROKERS.join(','),
    KAFKA_TOPIC_OCPP_FRAMES: topic.name,
    EDGE_HEALTH_PORT: '0',
    METRICS_PORT: '0',
  };
  const start16 = { connectorId: 1, idTag: 'TAG-1', meterStart: 0, timestamp: '2025-01-01T00:00:00Z' };
  const idsFromOneRun = async (n: number): Promise<number[]> => {
    const p = start(env);
    try {
      const [, port] = await waitFor(p.output, /listening on wss:\/\/127\.0\.0\.1:(\d+)\/<identity>/);
      const s = new TestStation({ url: `wss://localhost:${port}`, identity: 'CP-TXID', password, ca: pki.ca.cert });
      await s.connect();
      const ids: number[] = [];
      for (let i = 0; i < n; i++) ids.push((await s.call<{ transactionId: number }>('StartTransaction', start16)).transactionId);
      return ids;
    } finally {
      p.child.kill('SIGKILL'); // a crash: nothing is written on the way out
      await p.exited;
    }
  };
  // More ids than seconds pass between the runs: without the mark the second run would start at the
  // clock again, below the first run's last id.
  const first = await idsFromOneRun(1_200);
  const second = await idsFromOneRun(3);
  expect(new Set(first).size).toBe(first.length);
  expect(Math.min(...second)).toBeGreaterThan(Math.max(...first));
  expect(Math.max(...first) - Math.min(...first)).toBe(first.length - 1);
  expect(Number(readFileSync(markFile, 'utf8'))).toBeGreaterThan(Math.max(...second));

  writeFileSync(markFile, 'not a number\n');
  const bad = start(env);
  expect(await bad.exited).toBe(2);
  expect(bad.output()).toMatch(/not starting: EDGE_TRANSACTION_ID_FILE .* does not hold one decimal number/);
});
