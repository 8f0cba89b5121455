import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KafkaTestTopic, TEST_BROKERS } from '../testing/KafkaTestTopic';
import { RecordingLogger } from '../testing/RecordingLogger';
import { TestPki } from '../testing/TestPki';
import { testEdgeConfig, writeStationsFile } from '../testing/testEdgeConfig';
import { createEdgeApp, type EdgeApp } from './createEdgeApp';

// An OCPP client this project did not write: Java-OCA-OCPP 1.6 (eu.chargetime.ocpp:v1_6 1.1.0, from
// Maven; java-client/OcppJavaStation.java) connects over TLS with basic auth and sends
// BootNotification, StartTransaction, MeterValues and StopTransaction with a real signed dataset from
// ../shared/ocmf-corpus/real/. The edge accepts every frame under its strict schemas and stores the
// dataset unchanged. That the ledger then records it as valid: tools/pipeline's javaClientToLedger.int.spec.ts.

const packageDir = join(__dirname, '..', '..');
const repo = join(packageDir, '..', '..');
// The shared corpus lies beside the repository (CI and sessions), or where OCMF_CORPUS_DIR says.
const corpusDir = [process.env.OCMF_CORPUS_DIR, join(repo, '..', 'shared', 'ocmf-corpus', 'real'), '/work/shared/ocmf-corpus/real'].find((d): d is string => !!d && existsSync(d));
if (!corpusDir) throw new Error('the shared OCMF corpus is not beside the repository: set OCMF_CORPUS_DIR');
const sample = JSON.parse(readFileSync(join(corpusDir, 'bsm-python-2021-1.json'), 'utf8')) as { ocmf: string; expected: string; vendor: string };
const PW = 'java-station-password-01';
let classpath: string;
let dir: string;
let pki: TestPki;
let topic: KafkaTestTopic;
let logger: RecordingLogger;
let edge: EdgeApp;

jest.setTimeout(180_000);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ocpp-edge-java-'));
  const cpFile = join(dir, 'classpath.txt');
  const mvn = spawnSync('mvn', ['-q', '-B', '-f', join(packageDir, 'java-client', 'pom.xml'), 'dependency:build-classpath', `-Dmdep.outputFile=${cpFile}`], { encoding: 'utf8', timeout: 150_000 });
  if (mvn.status !== 0) throw new Error(`Maven could not resolve Java-OCA-OCPP 1.1.0 (java-client/pom.xml):\n${mvn.stdout}${mvn.stderr}`);
  classpath = readFileSync(cpFile, 'utf8').trim();
  pki = new TestPki();
  topic = await KafkaTestTopic.create('ocpp-frames-java-test');
  logger = new RecordingLogger();
  const file = await writeStationsFile(pki.dir, { 'CP-JAVA': PW });
  edge = await createEdgeApp(
    testEdgeConfig(pki, file, { securityProfiles: new Set([2]), tls: { certFile: pki.server.certFile, keyFile: pki.server.keyFile }, kafka: { brokers: TEST_BROKERS, topic: topic.name, clientId: 'ocpp-edge-java', ackTimeoutMs: 10_000, connection: {} } }),
    { logger },
    false,
  );
});

afterAll(async () => {
  await edge?.close();
  await topic?.dispose();
  pki?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

it('serves the Java-OCA-OCPP 1.6 client over profile 2 and stores its signed dataset unchanged', async () => {
  expect(sample.expected).toBe('valid');
  const ocmfFile = join(dir, 'dataset.ocmf');
  writeFileSync(ocmfFile, sample.ocmf);
  const url = `wss://localhost:${edge.server.address().port}/ocpp`;
  const java = spawn('java', ['-cp', classpath, join(packageDir, 'java-client', 'OcppJavaStation.java'), url, 'CP-JAVA', PW, pki.ca.certFile, ocmfFile], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  java.stdout.on('data', (d) => (out += d));
  java.stderr.on('data', (d) => (err += d));
  const code = await new Promise<number | null>((resolve) => java.on('exit', resolve));
  expect({ code, err: code === 0 ? '' : err }).toEqual({ code: 0, err: '' });
  const confirmations = out.trim().split('\n').map((l) => JSON.parse(l) as { action: string });
  expect(confirmations.map((c) => c.action)).toEqual(['BootNotification', 'StartTransaction', 'MeterValues', 'StopTransaction']);
  expect(edge.server.stats.badFrames).toBe(0);

  await topic.waitFor((r) => r.key === 'CP-JAVA' && r.record.action === 'StopTransaction');
  const records = topic.records.filter((r) => r.key === 'CP-JAVA').map((r) => r.record);
  expect(records.map((r) => `${r.action}/${r.messageType}`)).toEqual(['BootNotification/CALL', 'StartTransaction/CALL', 'StartTransaction/CALLRESULT', 'MeterValues/CALL', 'StopTransaction/CALL']);
  expect(records.every((r) => r.securityProfile === 2 && r.ocppVersion === '1.6')).toBe(true);
  const transactionId = JSON.parse(records[2].frame)[2].transactionId as number;
  const meter = JSON.parse(records[3].frame)[3];
  expect(meter.transactionId).toBe(transactionId);
  expect(meter.meterValue[0].sampledValue[0]).toMatchObject({ value: sample.ocmf, format: 'SignedData', context: 'Transaction.Begin' });
  const stop = JSON.parse(records[4].frame)[3];
  expect(stop.transactionId).toBe(transactionId);
  expect(stop.transactionData[0].sampledValue[0].value).toBe(sample.ocmf);
});
