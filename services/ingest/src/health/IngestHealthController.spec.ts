import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { Ledger, SqliteEventStore, type EventStore } from '@metrology-ledger/ledger';
import { Readiness } from '@metrology-ledger/service-runtime';
import { IngestHealthModule } from './IngestHealthModule';
import { LedgerStoreProbe } from '@metrology-ledger/ledger';

describe('ingest health endpoints (@nestjs/terminus, real HTTP)', () => {
  const readiness = new Readiness();
  const probe = new LedgerStoreProbe(200);
  let app: INestApplication;
  let base: string;

  beforeAll(async () => {
    app = await NestFactory.create(IngestHealthModule.forProbes({ readiness, store: probe }), { logger: false, abortOnError: false });
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  });
  afterAll(() => app.close());

  const get = async (path: string) => {
    const r = await fetch(`${base.replace('[::1]', '127.0.0.1')}${path}`);
    return { status: r.status, body: await r.json(), cache: r.headers.get('cache-control') };
  };

  it('answers live while the process runs, ready or not', async () => {
    readiness.fail('kafka', 'waiting for topic ocmf-datasets');
    const r = await get('/health/live');
    expect(r).toMatchObject({ status: 200, body: { status: 'ok', info: { process: { status: 'up' } } } });
    expect(r.cache).toContain('no-store');
  });

  it('is not ready before the store is open, nor while the consumer has not joined, saying which part and why', async () => {
    readiness.fail('kafka', 'joining consumer group metrology-ingest-server');
    const r = await get('/health/ready');
    expect(r.status).toBe(503);
    expect(r.body.status).toBe('error');
    expect(r.body.error).toEqual({ kafka: { status: 'down', reason: 'joining consumer group metrology-ingest-server' }, ledger: { status: 'down', reason: 'the store is not open yet' } });
  });

  it('is ready once the consumer has joined and the store answers; not while a record is retried', async () => {
    const store = new SqliteEventStore(':memory:');
    probe.attach(new Ledger(store));
    readiness.ok('kafka');
    expect(await get('/health/ready')).toMatchObject({ status: 200, body: { status: 'ok', info: { kafka: { status: 'up' }, ledger: { status: 'up' } } } });
    readiness.fail('ledger', 'cannot record, retrying: connect ECONNREFUSED');
    expect(await get('/health/ready')).toMatchObject({ status: 503, body: { error: { ledger: { status: 'down', reason: 'cannot record, retrying: connect ECONNREFUSED' } } } });
    readiness.ok('ledger');
    await store.close();
  });

  it('is not ready when the store stops answering or answers with an error', async () => {
    const hanging: EventStore = { name: 'postgres', append: jest.fn(), read: () => new Promise(() => undefined), streams: jest.fn(), close: jest.fn() };
    probe.attach(new Ledger(hanging));
    expect(await get('/health/ready')).toMatchObject({ status: 503, body: { error: { ledger: { status: 'down', reason: 'postgres did not answer within 200 ms' } } } });
    const failing: EventStore = { ...hanging, read: async () => Promise.reject(new Error('Connection terminated unexpectedly')) };
    probe.attach(new Ledger(failing));
    expect(await get('/health/ready')).toMatchObject({ status: 503, body: { error: { ledger: { status: 'down', reason: 'postgres did not answer: Connection terminated unexpectedly' } } } });
  });

  it('answers 404 elsewhere', async () => {
    expect((await get('/health')).status).toBe(404);
  });
});
