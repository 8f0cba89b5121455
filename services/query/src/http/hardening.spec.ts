import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LoggerService } from '@nestjs/common';
import { rebuildReadModels } from '../readmodel/rebuildReadModels';
import { SignedTestStation } from '../testing/SignedTestStation';
import { as, startTestApp, TEST_KEYS } from '../testing/testApp';
import { VERIFY_PAGE_CSP } from '../web/VerifyPageController';

// Findings 6 (documentation behind a key in every spelling), 8 (body size limit) and 9 (no internal
// text in answers, bearer scheme in any case, failed-authentication throttle, security headers).
class RecordingLogger implements LoggerService {
  readonly errors: string[] = [];
  log(): void {}
  warn(): void {}
  debug(): void {}
  verbose(): void {}
  error(message: unknown, ...rest: unknown[]): void {
    this.errors.push([message, ...rest].map(String).join(' '));
  }
}

let t: Awaited<ReturnType<typeof startTestApp>>;
const logger = new RecordingLogger();

beforeAll(async () => {
  t = await startTestApp({ trustProxy: true, failedAuth: { limit: 5, windowMs: 60_000 } });
  t.app.useLogger(logger);
  const station = new SignedTestStation('CP-H');
  await t.ledger.recordDataset(station.dataset('1'));
  await rebuildReadModels(t.ledger, t.sessions);
});
afterAll(async () => t.app.close());

let address = 0;
/** A client address of its own per test (X-Forwarded-For, trust proxy on), so the throttle's counts do not mix. */
const from = () => `10.1.0.${++address}`;

describe('documentation paths', () => {
  it.each(['/DOCS-json', '/Docs-json', '/DOCS', '/docs-JSON', '/docs', '/docs/', '/docs-json', '/docs-yaml', '/%64ocs-json', '/docs/swagger-ui-init.js', '/DOCS/swagger-ui-init.js'])(
    'answers %s with 401 without a key, never the document',
    async (path) => {
      const r = await t.http.get(path).set('X-Forwarded-For', from());
      expect(r.status).toBe(401);
      expect(r.text).not.toMatch(/openapi|swagger/i);
    },
  );

  it('serves /docs-json with a key and nothing under another spelling (case-sensitive, strict routing)', async () => {
    expect((await t.http.get('/docs-json').set(as(TEST_KEYS.auditor))).body.openapi).toMatch(/^3\./);
    for (const path of ['/DOCS-json', '/Docs-json', '/%64ocs-json']) {
      const r = await t.http.get(path).set(as(TEST_KEYS.auditor));
      expect(r.status).toBe(404);
      expect(r.text).not.toMatch(/openapi/);
    }
    expect((await t.http.get('/EMSP/sessions').set(as(TEST_KEYS.emsp))).status).toBe(404);
    expect((await t.http.get('/emsp/sessions/').set(as(TEST_KEYS.emsp))).status).toBe(404);
  });
});

/** A raw request with the target exactly as given (supertest always sends an origin-form path). */
function raw(target: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  const server = t.app.getHttpServer();
  return new Promise((done, fail) => {
    const listening = server.listening ? Promise.resolve() : new Promise<void>((ok) => server.listen(0, '127.0.0.1', () => ok()));
    void listening.then(() => {
      const req = httpRequest({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, path: target, headers: { 'X-Forwarded-For': from(), ...headers } }, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, text }));
      });
      req.on('error', fail).end();
    });
  });
}

describe('request targets the router reads differently', () => {
  it('authenticates the documentation asked for in absolute form (GET http://host/docs-json) as in origin form', async () => {
    for (const target of ['http://evil.example/docs-json', 'HTTP://x/docs', 'http://x/docs/swagger-ui-init.js']) {
      const r = await raw(target);
      expect({ target, status: r.status }).toEqual({ target, status: 401 });
      expect(r.text).not.toMatch(/openapi|swagger/i);
    }
    const ok = await raw('http://x/docs-json', as(TEST_KEYS.auditor));
    expect(ok.status).toBe(200);
    expect(ok.headers['content-security-policy']).toMatch(/script-src 'self'/);
  });

  it('answers a path it cannot decode 400 and a parameter over the limit 414, in its own shape with the security headers, never quoting the path', async () => {
    const bad = await raw('/emsp/sessions/%E0%A4%A-SECRET', as(TEST_KEYS.emsp));
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.text)).toEqual({ statusCode: 400, error: 'Bad Request', message: expect.stringContaining('could not be read') });
    const long = await raw(`/emsp/sessions/${'A'.repeat(5000)}`, as(TEST_KEYS.emsp));
    expect(long.status).toBe(414);
    for (const r of [bad, long]) {
      expect(r.headers['cache-control']).toBe('no-store');
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.text).not.toMatch(/SECRET|AAAA/);
    }
  });

  it('serves the documentation assets without caching validators', async () => {
    const r = await raw('/docs/swagger-ui.css', as(TEST_KEYS.auditor));
    expect(r.status).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.headers.etag).toBeUndefined();
    expect(r.headers['last-modified']).toBeUndefined();
  });
});

describe('request bodies', () => {
  it('answers a 2 MB unauthenticated body 413 without logging an error', async () => {
    const before = logger.errors.length;
    const r = await t.http.put('/operator/stations/CP-H/commissioning').set('Content-Type', 'application/json').set('X-Forwarded-For', from()).send(`{"commissionedAt":"${'x'.repeat(2_000_000)}"}`);
    expect(r.status).toBe(413);
    expect(r.body).toEqual({ statusCode: 413, error: 'Payload Too Large', message: 'the request body is larger than 64 kB' });
    expect(logger.errors.slice(before)).toEqual([]);
  });

  it('holds a body of another media type to the same limit: read and dropped below it, 413 above it', async () => {
    const small = await t.http.put('/operator/stations/CP-H/commissioning').set(as(TEST_KEYS.operator)).set('Content-Type', 'text/plain').send('x'.repeat(1000));
    expect(small.status).toBe(400);
    const large = await t.http.put('/operator/stations/CP-H/commissioning').set(as(TEST_KEYS.operator)).set('Content-Type', 'text/plain').send('x'.repeat(2_000_000));
    expect(large.status).toBe(413);
    expect(large.body.message).toBe('the request body is larger than 64 kB');
  });

  it('answers a body in another charset or compressed 415: only UTF-8 JSON as sent is read', async () => {
    const put = () => t.http.put('/operator/stations/CP-H/commissioning').set(as(TEST_KEYS.operator));
    for (const r of [await put().set('Content-Type', 'application/json; charset=latin1').send('{}'), await put().set('Content-Type', 'application/json').set('Content-Encoding', 'gzip').send('{}')]) {
      expect(r.status).toBe(415);
      expect(r.body.message).toBe('send the body as UTF-8 JSON (Content-Type: application/json)');
    }
    // UTF-8 named in any spelling is read.
    expect((await put().set('Content-Type', 'application/json; charset=UTF-8').send('{}')).status).toBe(400);
  });

  it('gives a client 30 s to send a whole request and closes an idle kept-alive connection after 5 s (Node defaults Fastify would change)', () => {
    const server = t.app.getHttpServer();
    expect(server.requestTimeout).toBe(30_000);
    expect(server.keepAliveTimeout).toBe(5_000);
  });

  it('answers a body that is not a JSON object 400 without quoting it', async () => {
    const r = await t.http.put('/operator/stations/CP-H/commissioning').set(as(TEST_KEYS.operator)).set('Content-Type', 'application/json').send('{"commissionedAt": SECRET-TEXT');
    expect(r.status).toBe(400);
    expect(r.body.message).toBe('the request body is not a JSON object');
    expect(r.text).not.toContain('SECRET-TEXT');
  });

  it('answers a body nested 5000 levels deep 400 with the limit, before anything recursive sees it', async () => {
    const before = logger.errors.length;
    for (const body of [`{"commissionedAt":${'['.repeat(5000)}${']'.repeat(5000)}}`, `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`]) {
      const r = await t.http.put('/operator/stations/CP-H/commissioning').set(as(TEST_KEYS.operator)).set('Content-Type', 'application/json').send(body);
      expect({ status: r.status, body: r.body }).toEqual({ status: 400, body: { statusCode: 400, error: 'Bad Request', message: 'the request body nests objects or arrays deeper than 32 levels' } });
    }
    expect(logger.errors.slice(before)).toEqual([]);
  });
});

describe('errors never carry internal text', () => {
  it('answers an unexpected failure 500 with a reference, logging the detail', async () => {
    const page = t.sessions.page.bind(t.sessions);
    t.sessions.page = async () => {
      throw new TypeError("Cannot read properties of undefined (reading 'datatype mismatch')");
    };
    try {
      const before = logger.errors.length;
      const r = await t.http.get('/emsp/sessions').set(as(TEST_KEYS.emsp));
      expect(r.status).toBe(500);
      expect(r.text).not.toMatch(/Cannot read|datatype|TypeError/);
      expect(r.body).toMatchObject({ statusCode: 500, reference: expect.any(String) });
      const logged = logger.errors.slice(before).join('\n');
      expect(logged).toContain(r.body.reference);
      expect(logged).toContain('Cannot read properties');
      expect(logged).not.toContain(TEST_KEYS.emsp);
    } finally {
      t.sessions.page = page;
    }
  });

  it('answers a cursor it did not issue 400 with a reason a person can act on', async () => {
    const r = await t.http.get('/emsp/sessions').query({ cursor: Buffer.from('s:99999999999999999999').toString('base64url') }).set(as(TEST_KEYS.emsp));
    expect(r.status).toBe(400);
    expect(r.body.message).toMatch(/pass each page's nextCursor unchanged/);
  });
});

describe('authentication', () => {
  it('accepts the bearer scheme in any letter case', async () => {
    for (const scheme of ['bearer', 'BEARER', 'Bearer']) expect((await t.http.get('/emsp/sessions').set('Authorization', `${scheme} ${TEST_KEYS.emsp}`)).status).toBe(200);
  });

  it('throttles failed authentication per address with 429 and Retry-After; other addresses and successful clients are not affected', async () => {
    const attacker = from();
    for (let i = 0; i < 5; i++) expect((await t.http.get('/emsp/sessions').set('X-Forwarded-For', attacker).set(as('wrong-key-0123456789abcdef'))).status).toBe(401);
    const blocked = await t.http.get('/emsp/sessions').set('X-Forwarded-For', attacker).set(as('wrong-key-0123456789abcdef'));
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(blocked.headers['retry-after'])).toBeLessThanOrEqual(60);
    expect((await t.http.get('/docs-json').set('X-Forwarded-For', attacker)).status).toBe(429);
    expect((await t.http.get('/verify').set('X-Forwarded-For', attacker)).status).toBe(200);
    expect((await t.http.get('/emsp/sessions').set('X-Forwarded-For', from()).set(as(TEST_KEYS.emsp))).status).toBe(200);
    const client = from();
    for (let i = 0; i < 30; i++) expect((await t.http.get('/emsp/sessions').set('X-Forwarded-For', client).set(as(TEST_KEYS.emsp))).status).toBe(200);
    expect((await t.http.get('/emsp/sessions').set('X-Forwarded-For', client)).status).toBe(401);
  });
});

describe('response headers', () => {
  it('sends nosniff, no framing and a content security policy, and no X-Powered-By', async () => {
    for (const r of [await t.http.get('/emsp/sessions').set(as(TEST_KEYS.emsp)), await t.http.get('/emsp/sessions').set('X-Forwarded-For', from()), await t.http.get('/nowhere')]) {
      expect(r.headers['x-powered-by']).toBeUndefined();
      expect(r.headers['x-content-type-options']).toBe('nosniff');
      expect(r.headers['x-frame-options']).toBe('DENY');
      expect(r.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(r.headers['cache-control']).toBe('no-store');
    }
  });

  it("keeps the pages' own policies: the verification page's scripts, the report's inline styles", async () => {
    const page = await t.http.get('/verify');
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(VERIFY_PAGE_CSP);
    expect(VERIFY_PAGE_CSP).toMatch(/script-src 'self'.*connect-src 'none'/);
    const report = await t.http.get('/auditor/stations/CP-H/report').set(as(TEST_KEYS.auditor));
    expect(report.headers['content-security-policy']).toMatch(/style-src 'unsafe-inline'/);
  });
});
