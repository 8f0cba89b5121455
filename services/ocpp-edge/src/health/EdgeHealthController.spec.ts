import { Readiness } from '@metrology-ledger/service-runtime';
import { startHealthServer, type HealthServer } from './startHealthServer';

describe('edge health endpoints (@nestjs/terminus, real HTTP)', () => {
  const readiness = new Readiness();
  let server: HealthServer;

  beforeAll(async () => {
    server = await startHealthServer(readiness, { host: '127.0.0.1', port: 0 });
  });
  afterAll(() => server.close());

  const get = async (path: string) => {
    const r = await fetch(`http://127.0.0.1:${server.port}${path}`);
    return { status: r.status, body: (await r.json()) as Record<string, unknown>, cache: r.headers.get('cache-control'), poweredBy: r.headers.get('x-powered-by') };
  };

  it('answers live while the process runs, ready or not', async () => {
    readiness.fail('kafka', 'producer not connected yet');
    const r = await get('/health/live');
    expect(r).toMatchObject({ status: 200, body: { status: 'ok', info: { process: { status: 'up' } } }, poweredBy: null });
    expect(r.cache).toContain('no-store');
  });

  it('is not ready before the producer is connected and the listener is up, saying which part and why', async () => {
    readiness.fail('kafka', 'producer not connected yet');
    readiness.fail('listener', 'not listening yet');
    const r = await get('/health/ready');
    expect(r.status).toBe(503);
    expect(r.body.error).toEqual({ kafka: { status: 'down', reason: 'producer not connected yet' }, listener: { status: 'down', reason: 'not listening yet' } });
  });

  it('is ready once both are up, and not ready again while shutting down', async () => {
    readiness.ok('kafka');
    readiness.ok('listener');
    expect(await get('/health/ready')).toMatchObject({ status: 200, body: { status: 'ok', info: { kafka: { status: 'up' }, listener: { status: 'up' } } } });
    readiness.fail('listener', 'shutting down: no new connections');
    expect(await get('/health/ready')).toMatchObject({ status: 503, body: { error: { listener: { status: 'down', reason: 'shutting down: no new connections' } } } });
  });

  it('answers 404 elsewhere', async () => {
    expect((await fetch(`http://127.0.0.1:${server.port}/health`)).status).toBe(404);
  });
});
