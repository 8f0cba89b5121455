import { spawn, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Ledger, type LedgerEvent } from '@metrology-ledger/ledger';
import { PasswordHash, StationRegistry } from '@metrology-ledger/ocpp-edge';
import { ensureKafka, KafkaPipelineHarness } from './KafkaPipelineHarness';
import { TestCertificates } from './testing/TestCertificates';

// An OCPP client this project did not write, end to end: Java-OCA-OCPP 1.6 (eu.chargetime.ocpp:v1_6
// 1.1.0 from Maven, the harness of services/ocpp-edge/java-client) sends BootNotification,
// StartTransaction, MeterValues and StopTransaction with a real signed dataset of
// ../shared/ocmf-corpus/real/ over TLS and basic auth → the built edge (standalone) → Kafka → the
// built ingest → PostgreSQL. With the meter's key registered, the ledger records the dataset as valid
// under the MeterValues frame, byte for byte, and the same dataset again in StopTransaction as a duplicate.

const repo = resolve(__dirname, '..', '..', '..');
const javaClient = join(repo, 'services', 'ocpp-edge', 'java-client');
const corpusDir = [process.env.OCMF_CORPUS_DIR, join(repo, '..', 'shared', 'ocmf-corpus', 'real'), '/work/shared/ocmf-corpus/real'].find((d): d is string => !!d && existsSync(d));
if (!corpusDir) throw new Error('the shared OCMF corpus is not beside the repository: set OCMF_CORPUS_DIR');
const sample = JSON.parse(readFileSync(join(corpusDir, 'bsm-python-2021-1.json'), 'utf8')) as { ocmf: string; public_key: string; public_key_encoding: string; expected: string };
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

beforeAll(() => ensureKafka());

describe('the Java-OCA-OCPP 1.6 client → built edge → Kafka → built ingest → ledger', () => {
  const h = new KafkaPipelineHarness();
  const dir = mkdtempSync(join(tmpdir(), 'java-ledger-'));
  const identity = `CP-JAVA-${h.suffix}`;
  const password = `java-${randomBytes(12).toString('hex')}`;

  afterAll(async () => {
    await h.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records its real signed dataset as valid', async () => {
    expect({ expected: sample.expected, encoding: sample.public_key_encoding }).toEqual({ expected: 'valid', encoding: 'spki-der-hex' });
    const cpFile = join(dir, 'classpath.txt');
    const mvn = spawnSync('mvn', ['-q', '-B', '-f', join(javaClient, 'pom.xml'), 'dependency:build-classpath', `-Dmdep.outputFile=${cpFile}`], { encoding: 'utf8', timeout: 150_000 });
    if (mvn.status !== 0) throw new Error(`Maven could not resolve Java-OCA-OCPP 1.1.0 (services/ocpp-edge/java-client/pom.xml):\n${mvn.stdout}${mvn.stderr}`);

    await h.prepareEmpty();
    const ledger = new Ledger(h.store);
    await ledger.registerKey({ stationId: identity, publicKey: sample.public_key, validFrom: '2020-01-01T00:00:00Z' });
    const tls = new TestCertificates(dir);
    const registry = StationRegistry.empty().with({ identity, password: await PasswordHash.create(password, { N: 1024, r: 8, p: 1 }) });
    const stationsFile = join(dir, 'stations.json');
    writeFileSync(stationsFile, registry.toFileText(), { mode: 0o600 });
    const edge = await h.startEdge({ EDGE_MODE: 'standalone', EDGE_SECURITY_PROFILES: '2', EDGE_STATIONS_FILE: stationsFile, EDGE_TLS_CERT: tls.certFile, EDGE_TLS_KEY: tls.keyFile, EDGE_INSTANCE_ID: 'edge-java' });
    const ingest = h.startIngest();

    const ocmfFile = join(dir, 'dataset.ocmf');
    writeFileSync(ocmfFile, sample.ocmf);
    const java = spawn('java', ['-cp', readFileSync(cpFile, 'utf8').trim(), join(javaClient, 'OcppJavaStation.java'), `wss://localhost:${edge.port}/ocpp`, identity, password, tls.caFile, ocmfFile], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    java.stdout.on('data', (d) => (out += d));
    java.stderr.on('data', (d) => (err += d));
    const code = await new Promise<number | null>((r) => java.on('exit', r));
    expect({ code, err: code === 0 ? '' : err }).toEqual({ code: 0, err: '' });
    expect(out.trim().split('\n').map((l) => (JSON.parse(l) as { action: string }).action)).toEqual(['BootNotification', 'StartTransaction', 'MeterValues', 'StopTransaction']);

    const events = async () => {
      const all: { type: string; data?: unknown }[] = [];
      for (const s of await ledger.datasetStreams(identity)) for await (const { event } of ledger.eventsOf(s)) all.push(event);
      for await (const { event } of ledger.eventsOf(ledger.stationStream(identity, 'rejections'))) all.push(event);
      return all;
    };
    // What the ledger holds of the two deliveries (a real meter's counter is far above 1, so the
    // stream also opens a gap below it: GapOpened, not counted here).
    const received = new Set(['DatasetRecorded', 'DuplicateReceived', 'ConflictReceived', 'DatasetRejected']);
    const deliveries = async () => (await events()).filter((e) => received.has(e.type));
    await h.waitFor(async () => (await deliveries()).length >= 2, ingest);
    const all = await deliveries();
    expect(all.map((e) => e.type).sort()).toEqual(['DatasetRecorded', 'DuplicateReceived']);
    const recorded = all.find((e) => e.type === 'DatasetRecorded') as Extract<LedgerEvent, { type: 'DatasetRecorded' }>;
    expect(recorded.data.verification.verdict).toBe('valid');
    expect(recorded.data.ocmf).toBe(sample.ocmf);
    expect(recorded.data.publicKey.toLowerCase()).toBe(sample.public_key.toLowerCase());
    // Filed under the MeterValues frame the Java client sent, with the transactionId the edge assigned.
    const topic = await h.framesOf(identity);
    const meterValues = topic.find((r) => r.action === 'MeterValues')!;
    const started = topic.find((r) => r.action === 'StartTransaction' && r.messageType === 'CALLRESULT')!;
    expect(recorded.data.receipt).toMatchObject({ messageId: `${meterValues.messageId}#0`, messageSha256: sha256(meterValues.frame) });
    expect(recorded.data.transactionId).toBe(String((JSON.parse(started.frame) as [number, string, { transactionId: number }])[2].transactionId));
    const duplicate = all.find((e) => e.type === 'DuplicateReceived') as Extract<LedgerEvent, { type: 'DuplicateReceived' }>;
    const stop = topic.find((r) => r.action === 'StopTransaction')!;
    expect(duplicate.data.receipt.messageId).toBe(`${stop.messageId}#0`);
  }, 240_000);
});
