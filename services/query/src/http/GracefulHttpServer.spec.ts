import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GracefulHttpServer } from './GracefulHttpServer';

/** A server whose `/slow` answer is written in two halves, the second when `finish()` is called. */
async function slowServer() {
  let finish!: () => void;
  const finished = new Promise<void>((r) => (finish = r));
  const server: Server = createServer((req, res) => {
    if (req.url !== '/slow') return void res.end('fast');
    res.write('first half;');
    void finished.then(() => res.end('second half'));
  });
  const graceful = new GracefulHttpServer(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, graceful, finish, port: (server.address() as AddressInfo).port };
}

/** GET, resolving with the whole body, or with what arrived when the connection was cut. */
function get(port: number, path: string, onFirstChunk?: () => void): Promise<{ body: string; complete: boolean }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.on('data', (c) => {
        if (body === '') onFirstChunk?.();
        body += c;
      });
      res.on('end', () => resolve({ body, complete: res.complete }));
      res.on('error', () => resolve({ body, complete: false }));
      res.on('aborted', () => resolve({ body, complete: false }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('GracefulHttpServer', () => {
  it('stops taking connections at once, lets the request under way finish, then closes', async () => {
    const s = await slowServer();
    let firstChunk!: () => void;
    const begun = new Promise<void>((r) => (firstChunk = r));
    const answer = get(s.port, '/slow', firstChunk);
    await begun;
    expect(s.graceful.requestsInFlight).toBe(1);
    let drained = false;
    const drain = s.graceful.drain(10_000).then((r) => ((drained = true), r));
    await expect(get(s.port, '/')).rejects.toThrow(/ECONNREFUSED/);
    await new Promise((r) => setTimeout(r, 50));
    expect(drained).toBe(false);
    s.finish();
    expect(await answer).toEqual({ body: 'first half;second half', complete: true });
    expect(await drain).toEqual({ cut: 0 });
  });

  it('cuts what is still running at the end of the grace period', async () => {
    const s = await slowServer();
    let firstChunk!: () => void;
    const begun = new Promise<void>((r) => (firstChunk = r));
    const answer = get(s.port, '/slow', firstChunk);
    await begun;
    const started = Date.now();
    expect(await s.graceful.drain(200)).toEqual({ cut: 1 });
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(await answer).toEqual({ body: 'first half;', complete: false });
  });

  it('closes idle keep-alive connections at once', async () => {
    const s = await slowServer();
    const agent = new Agent({ keepAlive: true });
    await new Promise<void>((resolve) => request({ host: '127.0.0.1', port: s.port, path: '/', agent }, (res) => res.resume().on('end', resolve)).end());
    const started = Date.now();
    expect(await s.graceful.drain(5_000)).toEqual({ cut: 0 });
    expect(Date.now() - started).toBeLessThan(1_000);
    agent.destroy();
  });
});
