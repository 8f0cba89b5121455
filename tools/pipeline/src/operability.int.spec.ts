import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { DEFAULT_FAULTS } from '@metrology-ledger/cp800-model';
import { checkpointProblem, Ledger, LedgerSigningKey, STREAM_KINDS, verifyBundle } from '@metrology-ledger/ledger';
import { BROKERS, ensureKafka, KafkaPipelineHarness, parsePrometheusText, sumOf, type Series } from './KafkaPipelineHarness';
import { reconcileWithManifest } from './reconcileWithManifest';

// Operability of the built services on a real Kafka broker and PostgreSQL: ingest's /metrics against
// what the ledger holds after an end-to-end run, consumer lag, the health probes, query's request
// metrics, JSON logs without any secret, and ingest stopped with SIGTERM in the middle of a stream.
const FAULTS = { ...DEFAULT_FAULTS, drop: 0.04, duplicate: 0.04, reorder: 0.04, delay: 0.04, tamper: 0.03, wrongKey: 0.03, conflict: 0.05, keyReplace: 0.3, stationFault: 0.1 };

/** What the ledger holds: events by type, rejections by code, and every message id it has a record of. */
async function ledgerContents(ledger: Ledger) {
  const types = new Map<string, number>();
  const codes = new Map<string, number>();
  const messageIds = new Set<string>();
  const streams = new Set([ledger.unattributedRejectionsStream()]);
  for (const kind of STREAM_KINDS) {
    if (kind === 'keys') continue;
    for (const station of await ledger.stationsWith(kind)) for (const s of kind === 'datasets' ? await ledger.datasetStreams(station) : [ledger.stationStream(station, kind)]) streams.add(s);
  }
  for (const s of streams) {
    for await (const { event } of ledger.eventsOf(s)) {
      types.set(event.type, (types.get(event.type) ?? 0) + 1);
      if (event.type === 'DatasetRejected') codes.set(event.data.code, (codes.get(event.data.code) ?? 0) + 1);
      const receipt = (event.data as { receipt?: { messageId: string } }).receipt;
      if (receipt) messageIds.add(receipt.messageId);
    }
  }
  return { types, codes, messageIds };
}

/** Scrapes until `ready(series)`, for counters that follow the ledger by a moment. */
async function scrapeUntil(h: KafkaPipelineHarness, port: number, ready: (s: Series[]) => boolean, ms = 30_000): Promise<Series[]> {
  const deadline = Date.now() + ms;
  for (;;) {
    const series = parsePrometheusText(await h.scrape(port));
    if (ready(series) || Date.now() > deadline) return series;
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(() => ensureKafka());

describe('the built ingest and query services after an end-to-end run', () => {
  const h = new KafkaPipelineHarness();
  const dir = mkdtempSync(join(tmpdir(), 'operability-'));
  const keys = {
    alpha: `alpha-${randomBytes(12).toString('hex')}`,
    beta: `beta-${randomBytes(12).toString('hex')}`,
    auditor: `auditor-${randomBytes(12).toString('hex')}`,
    operator: `operator-${randomBytes(12).toString('hex')}`,
  };
  const pgPassword = `pg-${randomBytes(12).toString('hex')}`;
  const signingKey = LedgerSigningKey.generate();
  const signingKeyBody = signingKey.exportPrivatePem().split('\n')[1];
  let ingest: ChildProcess;
  let query: ChildProcess;
  let url: string;
  let ingestPorts: { metrics: number; health: number };
  let queryMetrics: number;
  const as = (key: string) => ({ headers: { Authorization: `Bearer ${key}` } });

  beforeAll(async () => {
    await h.prepare({ seed: 61, stations: 8, days: 3, faults: FAULTS });
    // Secrets as production passes them: the database password and the API keys from files.
    writeFileSync(join(dir, 'pgpassword'), `${pgPassword}\n`);
    writeFileSync(join(dir, 'api-keys'), `${keys.alpha}=emsp:DE-EMP-ALPHA;${keys.beta}=emsp:DE-EMP-BETA;${keys.auditor}=auditor;${keys.operator}=operator\n`);
    writeFileSync(join(dir, 'ledger-key.pem'), signingKey.exportPrivatePem(), { mode: 0o600 });
    const evidence = { LEDGER_SIGNING_KEY_FILE: join(dir, 'ledger-key.pem'), LEDGER_CHECKPOINT_EVERY_EVENTS: '200' };
    ingest = h.startIngest({ env: { INGEST_LAG_REFRESH_MS: '1000', LOG_LEVEL: 'debug', PGPASSWORD_FILE: join(dir, 'pgpassword'), ...evidence } });
    ingestPorts = { metrics: Number(await h.logged(ingest, 'metricsPort')), health: Number(await h.logged(ingest, 'healthPort')) };
    await h.produce();
    await h.waitUntilAllRecorded(ingest);
    ({ url, child: query } = await h.startQuery('', { env: { QUERY_API_KEYS_FILE: join(dir, 'api-keys'), PGPASSWORD: pgPassword, QUERY_REFRESH_MS: '500', LOG_LEVEL: 'debug', LEDGER_SIGNING_KEY_FILE: join(dir, 'ledger-key.pem') } }));
    queryMetrics = Number(await h.logged(query, 'metricsPort'));
  });

  afterAll(async () => {
    await h.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it("counts in ingest's /metrics exactly what the ledger holds: datasets, gaps, duplicates, conflicts, rejections by code", async () => {
    const total = h.manifest.counts.messages;
    const series = await scrapeUntil(h, ingestPorts.metrics, (s) => sumOf(s, 'ingest_messages_total', { outcome: 'recorded' }) + sumOf(s, 'ingest_messages_total', { outcome: 'rejected' }) >= total);
    const r = await reconcileWithManifest(new Ledger(h.store), h.manifest);
    expect(r.differences).toEqual([]);
    const held = await ledgerContents(new Ledger(h.store));
    const events = (type: string) => sumOf(series, 'ingest_ledger_events_total', { type });
    expect({
      DatasetRecorded: events('DatasetRecorded'),
      DuplicateReceived: events('DuplicateReceived'),
      ConflictReceived: events('ConflictReceived'),
      DatasetRejected: events('DatasetRejected'),
      MetrologyLogEntryRecorded: events('MetrologyLogEntryRecorded'),
      StationFaultReported: events('StationFaultReported'),
      GapOpened: events('GapOpened'),
      GapClosed: events('GapClosed'),
    }).toEqual({
      DatasetRecorded: r.counts.datasetsRecorded,
      DuplicateReceived: r.counts.duplicates,
      ConflictReceived: r.counts.conflicts,
      DatasetRejected: r.counts.rejections,
      MetrologyLogEntryRecorded: r.counts.logEntries,
      StationFaultReported: r.counts.faults,
      GapOpened: held.types.get('GapOpened') ?? 0,
      GapClosed: held.types.get('GapClosed') ?? 0,
    });
    expect(Math.min(r.counts.duplicates, r.counts.conflicts, r.counts.rejections, held.types.get('GapOpened') ?? 0)).toBeGreaterThan(0);
    expect(held.codes.size).toBeGreaterThan(0);
    for (const [code, n] of held.codes) expect({ code, counted: sumOf(series, 'ingest_messages_total', { outcome: 'rejected', code }) }).toEqual({ code, counted: n });
    expect(sumOf(series, 'ingest_messages_total', { outcome: 'recorded', code: 'none' }) + sumOf(series, 'ingest_messages_total', { outcome: 'rejected' })).toBe(total);
    expect(sumOf(series, 'ingest_append_duration_seconds_count')).toBe(sumOf(series, 'ingest_messages_total'));
    expect(sumOf(series, 'ingest_verification_duration_seconds_count')).toBeGreaterThan(r.counts.datasetsRecorded);
    expect(series.some((s) => s.name === 'process_cpu_user_seconds_total')).toBe(true);
  });

  it('reports the consumer lag of every partition, 0 once everything is recorded and committed', async () => {
    const lagSeries = (s: Series[]) => s.filter((x) => x.name === 'ingest_consumer_lag');
    const series = await scrapeUntil(h, ingestPorts.metrics, (s) => lagSeries(s).length === 6 && lagSeries(s).every((x) => x.value === 0));
    expect(lagSeries(series).map((x) => `${x.labels.topic}/${x.labels.partition}=${x.value}`).sort()).toEqual(Object.values(h.topics).flatMap((t) => [`${t}/0=0`, `${t}/1=0`]).sort());
  });

  it('answers its probes: ingest ready (consumer joined, store reachable), query ready (read model caught up)', async () => {
    const ingestReady = await fetch(`http://127.0.0.1:${ingestPorts.health}/health/ready`);
    expect({ status: ingestReady.status, body: await ingestReady.json() }).toMatchObject({ status: 200, body: { status: 'ok', info: { kafka: { status: 'up' }, ledger: { status: 'up' } } } });
    const queryReady = await fetch(`${url}/health/ready`);
    expect({ status: queryReady.status, body: await queryReady.json() }).toMatchObject({ status: 200, body: { status: 'ok', info: { ledger: { status: 'up' }, readModel: { status: 'up' } } } });
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
  });

  it("times query's requests by route template and status, and shows the read model caught up with the ledger", async () => {
    const list = await (await fetch(`${url}/emsp/sessions?limit=5`, as(keys.alpha))).json();
    expect((await fetch(`${url}/emsp/sessions?limit=2`, { headers: { 'X-Api-Key': keys.alpha } })).status).toBe(200);
    expect((await fetch(`${url}/emsp/sessions/${list.items[0].transactionId}`, as(keys.alpha))).status).toBe(200);
    expect((await fetch(`${url}/auditor/stations/CP-000001/gaps`, as(keys.auditor))).status).toBe(200);
    expect((await fetch(`${url}/emsp/sessions`, as('not-a-key-0123456789abcdef'))).status).toBe(401);
    expect((await fetch(`${url}/docs-json`, as(keys.operator))).status).toBe(200);
    const series = await scrapeUntil(h, queryMetrics, (s) => sumOf(s, 'query_read_model_lag_events') === 0 && sumOf(s, 'query_read_model_caught_up_timestamp_seconds') > 0);
    const count = (route: string, status: string) => sumOf(series, 'query_http_request_duration_seconds_count', { method: 'GET', route, status });
    expect(count('/emsp/sessions', '200')).toBe(2);
    expect(count('/emsp/sessions/:transactionId', '200')).toBe(1);
    expect(count('/auditor/stations/:stationId/gaps', '200')).toBe(1);
    expect(count('/emsp/sessions', '401')).toBe(1);
    expect(series.some((s) => s.labels.route?.includes(list.items[0].transactionId))).toBe(false);
    expect(sumOf(series, 'query_read_model_lag_events')).toBe(0);
    expect(sumOf(series, 'query_read_model_caught_up_timestamp_seconds')).toBeGreaterThan(Date.now() / 1000 - 60);
  });

  it('ingest signed checkpoints by itself every 200 events; query publishes the key and a bundle that verifies offline', async () => {
    const checkpoints = await new Ledger(h.store).checkpoints.all();
    expect(checkpoints.length).toBeGreaterThanOrEqual(2);
    for (const c of checkpoints) expect(checkpointProblem(c, signingKey.publicKey)).toBeUndefined();
    const published = await (await fetch(`${url}/auditor/checkpoint`, as(keys.auditor))).json();
    expect(published.ledgerKey).toEqual(signingKey.publicKey);
    const bundle = await (await fetch(`${url}/auditor/stations/CP-000001/bundle?after=${checkpoints[0].statement.treeSize}`, as(keys.auditor))).json();
    const verdict = verifyBundle(bundle, { ledgerKey: signingKey.publicKey, after: checkpoints[0] });
    expect(verdict.ok ? verdict.checked.afterCheckpoint : verdict).toBe(0);
  });

  it('logs JSON lines, one per rejection with station, message id and Kafka position, and never a key, a password or a private key; both exit 0 on SIGTERM', async () => {
    const series = parsePrometheusText(await h.scrape(ingestPorts.metrics));
    query.kill('SIGTERM');
    ingest.kill('SIGTERM');
    expect(await h.exitOf(query, 30_000)).toBe(0);
    expect(await h.exitOf(ingest, 30_000)).toBe(0);

    for (const child of [ingest, query]) {
      const notJson = h
        .outputOf(child)
        .split('\n')
        .filter((l) => l.trim() !== '')
        .filter((l) => {
          try {
            return typeof JSON.parse(l) !== 'object';
          } catch {
            return true;
          }
        });
      expect(notJson).toEqual([]);
    }
    const rejections = h.logLinesOf(ingest).filter((l) => String(l.msg).startsWith('rejected kafka:'));
    expect(rejections).toHaveLength(sumOf(series, 'ingest_messages_total') - sumOf(series, 'ingest_messages_total', { code: 'none' }));
    for (const l of rejections) {
      expect(l).toMatchObject({ level: 'info', service: 'ingest', stationId: expect.any(String), messageId: expect.any(String), partition: expect.any(Number), offset: expect.stringMatching(/^\d+$/), code: expect.any(String) });
      expect(Object.values(h.topics)).toContain(l.topic);
    }
    const requests = h.logLinesOf(query).filter((l) => l.req);
    expect(requests.length).toBeGreaterThanOrEqual(6);
    expect(requests).toContainEqual(expect.objectContaining({ route: '/emsp/sessions/:transactionId', res: { statusCode: 200 } }));

    const output = `${h.outputOf(ingest)}\n${h.outputOf(query)}`;
    for (const secret of [...Object.values(keys), pgPassword, signingKeyBody, 'Bearer ', 'PRIVATE KEY', 'x-api-key', 'authorization']) {
      expect({ secret, found: output.toLowerCase().includes(secret.toLowerCase()) }).toEqual({ secret, found: false });
    }
  });
});

describe('ingest stopped with SIGTERM in the middle of a stream', () => {
  it('drains, commits only what the ledger holds, leaves the group, exits 0; after the restart nothing is lost and nothing recorded twice', async () => {
    const h = new KafkaPipelineHarness();
    const admin = new Kafka({ brokers: [BROKERS], logLevel: logLevel.NOTHING }).admin();
    try {
      await h.prepare({ seed: 62, stations: 10, days: 4, faults: FAULTS });
      const first = h.startIngest();
      await h.produce();
      const total = h.manifest.counts.messages;
      await h.waitFor(async () => (await h.accounted()) >= total / 3, first);
      first.kill('SIGTERM');
      expect(await h.exitOf(first, 30_000)).toBe(0);
      expect(await h.accounted()).toBeLessThan(total);
      const said = h.logLinesOf(first).map((l) => String(l.msg));
      expect(said).toContainEqual(expect.stringMatching(/^SIGTERM: stopping within 25000 ms/));
      expect(said).toContain('stopped (SIGTERM)');

      // It left its group: no member is left waiting for its session to time out.
      await admin.connect();
      const groupId = `ingest-${h.suffix}-server`;
      const { groups } = await admin.describeGroups([groupId]);
      expect({ state: groups[0].state, members: groups[0].members }).toEqual({ state: 'Empty', members: [] });

      // Every record below a committed offset is in the ledger: nothing committed was left unrecorded.
      const committed = new Map<string, bigint>();
      for (const t of await admin.fetchOffsets({ groupId, topics: Object.values(h.topics) })) for (const p of t.partitions) committed.set(`${t.topic}/${p.partition}`, BigInt(p.offset));
      const records = await readAllRecords(Object.values(h.topics), h.messages.length, h.suffix);
      const held = (await ledgerContents(new Ledger(h.store))).messageIds;
      const below = records.filter((x) => x.offset < (committed.get(`${x.topic}/${x.partition}`) ?? -1n));
      expect(below.length).toBeGreaterThan(0);
      expect(below.filter((x) => !held.has(x.messageId))).toEqual([]);

      const second = h.startIngest();
      await h.waitUntilAllRecorded(second);
      const r = await reconcileWithManifest(new Ledger(h.store), h.manifest);
      expect(r.differences).toEqual([]);
      expect(r.counts.messagesAccounted).toBe(total);
      second.kill('SIGTERM');
      expect(await h.exitOf(second, 30_000)).toBe(0);
    } finally {
      await admin.disconnect();
      await h.cleanup();
    }
  });
});

/** Every record of the topics with its position, read by a consumer group of its own. */
async function readAllRecords(topics: string[], expected: number, suffix: string): Promise<{ topic: string; partition: number; offset: bigint; messageId: string }[]> {
  const consumer = new Kafka({ brokers: [BROKERS], logLevel: logLevel.NOTHING }).consumer({ groupId: `reader-${suffix}` });
  const out: { topic: string; partition: number; offset: bigint; messageId: string }[] = [];
  await consumer.connect();
  try {
    await consumer.subscribe({ topics, fromBeginning: true });
    let done!: () => void;
    const all = new Promise<void>((r) => (done = r));
    await consumer.run({
      eachMessage: async ({ topic, partition, message }) => {
        out.push({ topic, partition, offset: BigInt(message.offset), messageId: (JSON.parse(String(message.value)) as { messageId: string }).messageId });
        if (out.length >= expected) done();
      },
    });
    await Promise.race([all, new Promise((_, reject) => setTimeout(() => reject(new Error(`read ${out.length} of ${expected} records`)), 60_000))]);
    return out;
  } finally {
    await consumer.disconnect();
  }
}
