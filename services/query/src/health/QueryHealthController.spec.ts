import { Writable } from 'node:stream';
import type { INestApplication } from '@nestjs/common';
import request from 'supertest';
import { Ledger, SqliteEventStore, type EventStore } from '@metrology-ledger/ledger';
import { CredentialStore } from '../auth/Credential';
import { createQueryApp } from '../createQueryApp';
import { STARTING } from '../http/startupGate';
import { createServiceLogger } from '@metrology-ledger/service-runtime';
import { QueryMetrics } from '../metrics/QueryMetrics';
import { SessionReadModel } from '../readmodel/SessionReadModel';
import { as, TEST_KEYS } from '../testing/testApp';
import { LedgerStoreProbe } from '@metrology-ledger/ledger';
import { QueryHealthModule } from './QueryHealthModule';

// The query application as main.ts composes it: health endpoints, start gate, request metrics and
// request logs on a pino logger, over an in-memory ledger and read model.
const logged: Record<string, unknown>[] = [];
const destination = new Writable({
  write(chunk, _encoding, done) {
    for (const line of String(chunk).split('\n').filter(Boolean)) logged.push(JSON.parse(line));
    done();
  },
});
const probe = new LedgerStoreProbe(200);
const metrics = new QueryMetrics();
let caughtUp = false;
let app: INestApplication;
let http: ReturnType<typeof request>;

beforeAll(async () => {
  const ledger = new Ledger(new SqliteEventStore(':memory:'));
  probe.attach(ledger);
  const sessions = new SessionReadModel(':memory:');
  const credentials = CredentialStore.fromEnvironment(`${TEST_KEYS.emsp}=emsp:DE-EMP-ALPHA;${TEST_KEYS.auditor}=auditor`);
  app = await createQueryApp({
    ledger,
    sessions,
    credentials,
    options: {
      modules: [QueryHealthModule.forProbes({ store: probe, sessions, readModel: { get caughtUpOnce() { return caughtUp; } } })],
      ready: () => caughtUp,
      requests: metrics,
      pino: createServiceLogger('query', 'info', destination),
    },
  });
  await app.init();
  // Fastify takes requests once its plugins are loaded.
  await (app.getHttpAdapter().getInstance() as { ready(): Promise<unknown> }).ready();
  http = request(app.getHttpServer());
});
afterAll(() => app.close());

describe('health endpoints and the start gate', () => {
  it('answers live without a key, and not ready, naming only the read model, until it has caught up; the API meanwhile answers 503', async () => {
    const live = await http.get('/health/live');
    expect(live.status).toBe(200);
    expect(live.body).toMatchObject({ status: 'ok', info: { process: { status: 'up' } } });
    const ready = await http.get('/health/ready');
    expect(ready.status).toBe(503);
    expect(ready.body).toEqual({ status: 'error', info: { ledger: { status: 'up' } }, error: { readModel: { status: 'down' } }, details: { ledger: { status: 'up' }, readModel: { status: 'down' } } });
    for (const path of ['/emsp/sessions', '/verify', '/docs-json']) {
      const r = await http.get(path).set(as(TEST_KEYS.emsp));
      expect({ path, status: r.status, body: r.body, retryAfter: r.headers['retry-after'] }).toEqual({ path, status: 503, body: STARTING, retryAfter: '5' });
    }
    // An OCPI peer gets the same answer in the OCPI envelope.
    const ocpi = await http.get('/ocpi/cpo/versions');
    expect(ocpi.status).toBe(503);
    expect(ocpi.body).toEqual({ status_code: 3000, status_message: STARTING.message, timestamp: expect.any(String) });
  });

  it('is ready once the read model has caught up, and the API answers', async () => {
    caughtUp = true;
    expect(await http.get('/health/ready')).toMatchObject({ status: 200, body: { status: 'ok' } });
    expect((await http.get('/emsp/sessions').set(as(TEST_KEYS.emsp))).status).toBe(200);
    expect((await http.get('/emsp/sessions')).status).toBe(401);
  });

  it("is not ready when the ledger's store fails, and says nothing but the dependency's name", async () => {
    const failing: EventStore = { name: 'postgres', append: jest.fn(), read: async () => Promise.reject(new Error('connect ECONNREFUSED 10.1.2.3:5432')), streams: jest.fn(), close: jest.fn() };
    const healthy = (probe as unknown as { ledger: Ledger }).ledger;
    probe.attach(new Ledger(failing));
    try {
      const r = await http.get('/health/ready');
      expect(r.status).toBe(503);
      expect(r.body.error).toEqual({ ledger: { status: 'down' } });
      expect(r.text).not.toMatch(/ECONNREFUSED|10\.1\.2\.3|postgres/);
    } finally {
      probe.attach(healthy);
    }
  });
});

describe('request metrics and logs', () => {
  it('times requests by route template and status, never by the ids in the path', async () => {
    await http.get('/emsp/sessions/tx-4711').set(as(TEST_KEYS.emsp));
    await http.get('/emsp/sessions/tx-4712').set(as(TEST_KEYS.emsp));
    await http.get('/no/such/route').set(as(TEST_KEYS.emsp));
    const text = await metrics.registry.metrics();
    expect(text).toMatch(/^query_http_request_duration_seconds_count\{method="GET",route="\/emsp\/sessions\/:transactionId",status="404"\} 2$/m);
    expect(text).toMatch(/^query_http_request_duration_seconds_count\{method="GET",route="unmatched",status="404"\} 1$/m);
    expect(text).toMatch(/^query_http_request_duration_seconds_count\{method="GET",route="\/emsp\/sessions",status="401"\} \d+$/m);
    expect(text).not.toContain('tx-4711');
  });

  it('measures and logs a path the router cannot read (400) without the path, as main.ts composes the application', async () => {
    caughtUp = true;
    logged.length = 0;
    const r = await http.get('/emsp/sessions/%E0%A4%A-SECRETPATH').set(as(TEST_KEYS.emsp));
    expect(r.status).toBe(400);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(await metrics.registry.metrics()).toMatch(/^query_http_request_duration_seconds_count\{method="GET",route="unmatched",status="400"\} 1$/m);
    const lines = logged.filter((l) => l.req);
    expect(lines.map((l) => l.msg)).toEqual(['GET (unreadable path) 400']);
    expect(JSON.stringify(logged)).not.toContain('SECRETPATH');
  });

  it('logs one JSON line per request with route and status, without headers, keys or query string, and not the probes', async () => {
    logged.length = 0;
    await http.get('/emsp/sessions?limit=5&stationId=CP-9').set('Authorization', `Bearer ${TEST_KEYS.emsp}`);
    await http.get('/auditor/stations/CP-1/gaps').set('X-Api-Key', TEST_KEYS.auditor);
    await http.get('/emsp/sessions').set('Authorization', 'Bearer wrong-key-0123456789abcdef');
    await http.get('/health/ready');
    const requests = logged.filter((l) => l.req);
    expect(requests.map((l) => [l.msg, l.route, (l.res as { statusCode: number }).statusCode])).toEqual([
      ['GET /emsp/sessions 200', '/emsp/sessions', 200],
      ['GET /auditor/stations/CP-1/gaps 200', '/auditor/stations/:stationId/gaps', 200],
      ['GET /emsp/sessions 401', '/emsp/sessions', 401],
    ]);
    const text = JSON.stringify(logged);
    for (const secret of [TEST_KEYS.emsp, TEST_KEYS.auditor, 'wrong-key-0123456789abcdef', 'Bearer', 'limit=5', 'authorization']) expect({ secret, logged: text.includes(secret) }).toEqual({ secret, logged: false });
  });
});
