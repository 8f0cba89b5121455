import { DEFAULT_FAULTS, FleetSimulator, serializeMessage, type SimulationMessage } from '@metrology-ledger/cp800-model';
import { Ledger, SqliteEventStore, STREAM_KINDS } from '@metrology-ledger/ledger';
import { IngestPipeline } from '../application/IngestPipeline';
import { IngestMetrics } from './IngestMetrics';
import { MetricsServer } from '@metrology-ledger/service-runtime';

/** The value of one series, 0 when the series does not exist. */
async function value(metrics: IngestMetrics, name: string, labels: Record<string, string> = {}): Promise<number> {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name.replace(/_(count|sum)$/, ''));
  const wanted = name.endsWith('_count') ? `${metric?.name}_count` : name.endsWith('_sum') ? `${metric?.name}_sum` : undefined;
  const series = (metric?.values ?? []).filter((v) => (wanted ? (v as { metricName?: string }).metricName === wanted : true) && Object.entries(labels).every(([k, x]) => String(v.labels[k]) === x));
  return series.reduce((sum, v) => sum + Number(v.value), 0);
}

/** Every ledger event by type, and every rejection by code, read back from the ledger. */
async function ledgerHolds(ledger: Ledger) {
  const types = new Map<string, number>();
  const codes = new Map<string, number>();
  const streams = [ledger.unattributedRejectionsStream()];
  for (const kind of STREAM_KINDS) {
    if (kind === 'keys') continue;
    for (const station of await ledger.stationsWith(kind)) streams.push(...(kind === 'datasets' ? await ledger.datasetStreams(station) : [ledger.stationStream(station, kind)]));
  }
  for (const s of new Set(streams)) {
    for await (const { event } of ledger.eventsOf(s)) {
      types.set(event.type, (types.get(event.type) ?? 0) + 1);
      if (event.type === 'DatasetRejected') codes.set(event.data.code, (codes.get(event.data.code) ?? 0) + 1);
    }
  }
  return { types, codes };
}

describe('IngestMetrics', () => {
  it('counts what the ledger holds: messages by outcome and rejection code, events by type; redeliveries apart', async () => {
    const sim = new FleetSimulator({ stations: 4, days: 3, seed: 5, start: Date.UTC(2025, 3, 1), faults: { ...DEFAULT_FAULTS, drop: 0.05, duplicate: 0.05, tamper: 0.05, wrongKey: 0.05, conflict: 0.15 } });
    const messages: SimulationMessage[] = [];
    for (const day of sim.days()) messages.push(...day);
    const ledger = new Ledger(new SqliteEventStore(':memory:'));
    await ledger.registerKeys(sim.manifest.registry);
    const metrics = new IngestMetrics();
    const pipeline = new IngestPipeline(ledger, { observer: metrics });
    for (const m of messages) await pipeline.process(serializeMessage(m), 'test', m.stationId);
    await pipeline.process('{"kind":"weather"}', 'test', 'CP-000001');
    await pipeline.process('not json', 'test', 'CP-000001');

    const { types, codes } = await ledgerHolds(ledger);
    for (const type of ['DatasetRecorded', 'GapOpened', 'DuplicateReceived', 'ConflictReceived', 'DatasetRejected', 'MetrologyLogEntryRecorded']) {
      expect({ type, counted: await value(metrics, 'ingest_ledger_events_total', { type }) }).toEqual({ type, counted: types.get(type) ?? 0 });
    }
    expect(types.get('ConflictReceived')).toBeGreaterThan(0);
    expect(codes.size).toBeGreaterThan(1);
    for (const [code, n] of codes) expect({ code, counted: await value(metrics, 'ingest_messages_total', { outcome: 'rejected', code }) }).toEqual({ code, counted: n });
    expect(await value(metrics, 'ingest_messages_total')).toBe(messages.length + 2);
    expect(await value(metrics, 'ingest_messages_total', { outcome: 'recorded', code: 'none' })).toBe(messages.length + 2 - [...codes.values()].reduce((a, b) => a + b, 0));

    // Redelivered: counted as such, appending nothing.
    for (const m of messages.slice(0, 10)) await pipeline.process(serializeMessage(m), 'redelivery', m.stationId);
    expect(await value(metrics, 'ingest_messages_total', { outcome: 'redelivered' })).toBe(10);
    expect(await value(metrics, 'ingest_ledger_events_total', { type: 'DatasetRecorded' })).toBe(types.get('DatasetRecorded'));

    // Every append and every verification timed.
    expect(await value(metrics, 'ingest_append_duration_seconds_count')).toBe(messages.length + 2 + 10);
    const verified = messages.filter((m) => m.kind !== 'station-fault').length;
    expect(await value(metrics, 'ingest_verification_duration_seconds_count')).toBeGreaterThanOrEqual(verified - (codes.get('unknown-station') ?? 0) - (codes.get('bad-message') ?? 0));
  });

  it('sets the consumer lag per partition, dropping partitions no longer reported', async () => {
    const metrics = new IngestMetrics();
    metrics.consumerLag([
      { topic: 'ocmf-datasets', partition: 0, lag: 12 },
      { topic: 'ocmf-datasets', partition: 1, lag: 0 },
    ]);
    expect(await value(metrics, 'ingest_consumer_lag', { topic: 'ocmf-datasets', partition: '0' })).toBe(12);
    metrics.consumerLag([{ topic: 'metrology-log', partition: 0, lag: 3 }], new Date(1_700_000_000_000));
    expect(await value(metrics, 'ingest_consumer_lag', { topic: 'ocmf-datasets' })).toBe(0);
    expect(await value(metrics, 'ingest_consumer_lag', { topic: 'metrology-log', partition: '0' })).toBe(3);
    expect(await value(metrics, 'ingest_consumer_lag_read_timestamp_seconds')).toBe(1_700_000_000);
  });
});

describe('MetricsServer', () => {
  it('serves the registry as Prometheus text at GET /metrics, with the process metrics, and nothing else', async () => {
    const metrics = new IngestMetrics();
    metrics.recordRetried();
    const server = await MetricsServer.start(metrics.registry, { host: '127.0.0.1', port: 0 });
    try {
      const r = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toContain('text/plain');
      const text = await r.text();
      expect(text).toContain('ingest_record_retries_total 1');
      expect(text).toMatch(/^process_cpu_user_seconds_total \d/m);
      expect(text).toMatch(/^nodejs_heap_size_used_bytes \d/m);
      expect((await fetch(`http://127.0.0.1:${server.port}/`)).status).toBe(404);
      await expect(MetricsServer.start(metrics.registry, { host: '127.0.0.1', port: server.port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await server.close();
    }
  });
});
