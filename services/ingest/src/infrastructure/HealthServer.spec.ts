import { HealthServer } from './HealthServer';
import { Readiness } from './Readiness';

describe('HealthServer', () => {
  const readiness = new Readiness();
  let server: HealthServer;
  let base: string;

  beforeAll(async () => {
    server = await HealthServer.start(readiness, { host: '127.0.0.1', port: 0 });
    base = `http://127.0.0.1:${server.port}`;
  });
  afterAll(() => server.close());

  const get = async (path: string) => {
    const r = await fetch(`${base}${path}`);
    return { status: r.status, body: await r.json() };
  };

  it('answers live while the process runs, ready or not', async () => {
    readiness.fail('kafka', 'waiting for topic ocmf-datasets');
    expect(await get('/health/live')).toEqual({ status: 200, body: { status: 'live' } });
  });

  it('answers 503 with the reason while not ready, and 200 once every part is ready', async () => {
    readiness.fail('kafka', 'waiting for topic ocmf-datasets: This server does not host this topic-partition');
    readiness.fail('ledger', 'cannot record, retrying: connection refused');
    expect(await get('/health/ready')).toEqual({
      status: 503,
      body: { status: 'not ready', reason: 'kafka: waiting for topic ocmf-datasets: This server does not host this topic-partition; ledger: cannot record, retrying: connection refused' },
    });
    readiness.ok('kafka');
    expect(await get('/health/ready')).toEqual({ status: 503, body: { status: 'not ready', reason: 'ledger: cannot record, retrying: connection refused' } });
    readiness.ok('ledger');
    expect(await get('/health/ready')).toEqual({ status: 200, body: { status: 'ready' } });
    expect(String(readiness)).toBe('ready');
  });

  it('answers 404 elsewhere', async () => {
    expect((await get('/health')).status).toBe(404);
  });

  it('says so when its port is taken', async () => {
    await expect(HealthServer.start(readiness, { host: '127.0.0.1', port: server.port })).rejects.toThrow(/EADDRINUSE/);
  });
});
