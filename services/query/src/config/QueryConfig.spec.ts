import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describeConfigProblems, loadQueryConfig, QUERY_CONFIG_VARIABLES } from './QueryConfig';

const KEYS = 'emsp-key-0123456789abcdef=emsp:DE-EMP-ALPHA;auditor-key-0123456789abcd=auditor';

/** A file system of the given files; any other path is missing. */
const filesOf = (files: Record<string, string>) => (path: string) => {
  if (!(path in files)) throw Object.assign(new Error(`ENOENT: no such file or directory, open '${path}'`), { code: 'ENOENT' });
  return files[path];
};

describe('loadQueryConfig', () => {
  it('gives every default from the API keys alone', () => {
    expect(loadQueryConfig({ QUERY_API_KEYS: KEYS, PATH: '/usr/bin' }, { cwd: '/srv' })).toEqual({
      ok: true,
      config: {
        http: { host: '127.0.0.1', port: 3000 },
        apiKeys: KEYS,
        readModel: { kind: 'sqlite', file: '/srv/.data/query.sqlite' },
        refreshMs: 2_000,
        metrics: { host: '0.0.0.0', port: 9464 },
        log: { level: 'info' },
        shutdown: { graceMs: 25_000 },
        ledger: { store: 'sqlite', environment: { LEDGER_STORE: 'sqlite' }, description: 'sqlite .data/ledger.sqlite', evidence: { checkpointPolicy: { everyEvents: 10_000, everyMinutes: 60 } } },
      },
    });
  });

  it('reads every setting', () => {
    const r = loadQueryConfig({
      QUERY_API_KEYS: KEYS,
      QUERY_PORT: '8080',
      QUERY_HOST: '0.0.0.0',
      QUERY_TRUST_PROXY: '2',
      QUERY_READ_MODEL: 'postgres',
      QUERY_PG_SCHEMA: 'query_a',
      QUERY_REFRESH_MS: '500',
      METRICS_PORT: '0',
      METRICS_HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      SHUTDOWN_GRACE_MS: '10000',
      LEDGER_STORE: 'postgres',
      PGHOST: 'pg',
      PGUSER: 'query',
      PGPASSWORD: 'pw',
      PGDATABASE: 'ledger',
    });
    expect(r.ok && r.config).toMatchObject({
      http: { host: '0.0.0.0', port: 8080, trustProxy: 2 },
      readModel: { kind: 'postgres', connectionString: 'postgresql://query:pw@pg/ledger', schema: 'query_a' },
      refreshMs: 500,
      metrics: { host: '127.0.0.1', port: 0 },
      log: { level: 'warn' },
      shutdown: { graceMs: 10_000 },
      ledger: { store: 'postgres', environment: { LEDGER_STORE: 'postgres', DATABASE_URL: 'postgresql://query:pw@pg/ledger' } },
    });
    expect(loadQueryConfig({ QUERY_API_KEYS: KEYS, QUERY_TRUST_PROXY: 'true' })).toMatchObject({ config: { http: { trustProxy: true } } });
    expect(loadQueryConfig({ QUERY_API_KEYS: KEYS, QUERY_TRUST_PROXY: 'loopback, 10.0.0.0/8' })).toMatchObject({ config: { http: { trustProxy: 'loopback, 10.0.0.0/8' } } });
  });

  it('reads the API keys from QUERY_API_KEYS_FILE (a mounted secret), its last line break dropped', () => {
    const r = loadQueryConfig({ QUERY_API_KEYS_FILE: '/run/secrets/keys' }, { readText: filesOf({ '/run/secrets/keys': `${KEYS}\n` }) });
    expect(r.ok && r.config.apiKeys).toBe(KEYS);
  });

  it('reports every problem at once, never showing a key', () => {
    const key = 'short-secret-key';
    const r = loadQueryConfig({ QUERY_API_KEYS: `${KEYS};${key.slice(0, 10)}=auditor;${key}=root`, QUERY_PORT: 'http', QUERY_READ_MODEL: 'mongo', LOG_LEVEL: 'chatty', METRICS_PORT: '3000' });
    expect(r.ok).toBe(false);
    const problems = r.ok ? [] : r.problems;
    expect(problems).toEqual([
      expect.stringMatching(/^QUERY_API_KEYS entry 3: the key is shorter than 16 characters/),
      'QUERY_PORT must be a whole number from 0 to 65535; got "http"',
      'QUERY_READ_MODEL must be sqlite or postgres; got "mongo"',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got "chatty"',
    ]);
    expect(describeConfigProblems(problems)).not.toContain(key.slice(0, 10));
    expect(loadQueryConfig({ QUERY_API_KEYS: KEYS, METRICS_PORT: '3000' })).toEqual({ ok: false, problems: ['QUERY_PORT and METRICS_PORT must differ; both are 3000'] });
  });

  it('stops without keys, and when they are given twice or their file cannot be read', () => {
    expect(loadQueryConfig({})).toEqual({ ok: false, problems: [expect.stringMatching(/^QUERY_API_KEYS is not set \(nor QUERY_API_KEYS_FILE\)/)] });
    expect(loadQueryConfig({ QUERY_API_KEYS: ' ; ' })).toEqual({ ok: false, problems: [expect.stringMatching(/^QUERY_API_KEYS holds no entry/)] });
    expect(loadQueryConfig({ QUERY_API_KEYS: KEYS, QUERY_API_KEYS_FILE: '/k' }, { readText: filesOf({ '/k': KEYS }) })).toEqual({
      ok: false,
      problems: ['QUERY_API_KEYS and QUERY_API_KEYS_FILE are both set: set one of them'],
    });
    expect(loadQueryConfig({ QUERY_API_KEYS_FILE: '/run/secrets/nope' }, { readText: filesOf({}) })).toEqual({
      ok: false,
      problems: [expect.stringMatching(/^QUERY_API_KEYS is not set/), 'QUERY_API_KEYS_FILE: cannot read "/run/secrets/nope" (ENOENT)'],
    });
    expect(loadQueryConfig({ QUERY_API_KEYS_FILE: '/empty' }, { readText: filesOf({ '/empty': '\n' }) }).ok).toBe(false);
  });

  it('turns OCPI on with OCPI_PUBLIC_URL: its identity required, its store beside the read model, never in it', () => {
    expect(loadQueryConfig({ QUERY_API_KEYS: KEYS }).ok && loadQueryConfig({ QUERY_API_KEYS: KEYS })).not.toHaveProperty('config.ocpi');
    expect(loadQueryConfig({ QUERY_API_KEYS: KEYS, OCPI_PUBLIC_URL: 'https://cpo.example/' }, { cwd: '/srv' })).toEqual({
      ok: false,
      problems: [expect.stringMatching(/^OCPI_COUNTRY_CODE is not set/), expect.stringMatching(/^OCPI_PARTY_ID is not set/)],
    });
    const on = loadQueryConfig({ QUERY_API_KEYS: KEYS, OCPI_PUBLIC_URL: 'https://cpo.example/', OCPI_COUNTRY_CODE: 'DE', OCPI_PARTY_ID: 'CPO' }, { cwd: '/srv' });
    expect(on).toMatchObject({
      ok: true,
      config: { ocpi: { publicUrl: 'https://cpo.example', countryCode: 'DE', partyId: 'CPO', currency: 'EUR', store: { kind: 'sqlite', file: '/srv/.data/ocpi.sqlite' }, intervalMs: 5000, retryMinMs: 30000, retryMaxMs: 3600000 } },
    });
    expect(loadQueryConfig({ QUERY_API_KEYS: KEYS, OCPI_PUBLIC_URL: 'https://cpo.example', OCPI_COUNTRY_CODE: 'DE', OCPI_PARTY_ID: 'CPO', OCPI_TOKEN_KEY: 't'.repeat(40) })).toMatchObject({ ok: true, config: { ocpi: { tokenKey: 't'.repeat(40) } } });
    const pg = { QUERY_API_KEYS: KEYS, OCPI_PUBLIC_URL: 'https://cpo.example', OCPI_COUNTRY_CODE: 'DE', OCPI_PARTY_ID: 'CPO', QUERY_READ_MODEL: 'postgres', PGHOST: 'db' };
    expect(loadQueryConfig(pg)).toMatchObject({ ok: true, config: { ocpi: { store: { kind: 'postgres', schema: 'ocpi' } } } });
    expect(loadQueryConfig({ QUERY_API_KEYS: KEYS, QUERY_READ_MODEL_FILE: '/d/q.sqlite', OCPI_STORE_FILE: '/d/q.sqlite' })).toEqual({ ok: false, problems: [expect.stringMatching(/^OCPI_STORE_FILE must differ/)] });
    expect(loadQueryConfig({ ...pg, OCPI_PG_SCHEMA: 'query' })).toEqual({ ok: false, problems: [expect.stringMatching(/^OCPI_PG_SCHEMA must differ from QUERY_PG_SCHEMA/)] });
    expect(loadQueryConfig({ QUERY_API_KEYS: KEYS, OCPI_PUBLIC_URL: 'ftp://x', OCPI_COUNTRY_CODE: 'de', OCPI_PARTY_ID: 'CP', OCPI_RETRY_MIN_MS: '9000', OCPI_RETRY_MAX_MS: '1000' })).toMatchObject({
      ok: false,
      problems: [expect.stringMatching(/^OCPI_PUBLIC_URL/), expect.stringMatching(/^OCPI_COUNTRY_CODE/), expect.stringMatching(/^OCPI_PARTY_ID/), expect.stringMatching(/^OCPI_RETRY_MIN_MS/)],
    });
  });

  it('reads the receipt key (a secret, from a file too) and refuses a short one without showing it', () => {
    const key = 'r'.repeat(40);
    expect(loadQueryConfig({ QUERY_API_KEYS: KEYS, QUERY_RECEIPT_KEY_FILE: '/run/secrets/receipt' }, { readText: filesOf({ '/run/secrets/receipt': `${key}\n` }) })).toMatchObject({ ok: true, config: { receiptKey: key } });
    const short = loadQueryConfig({ QUERY_API_KEYS: KEYS, QUERY_RECEIPT_KEY: 'short-secret' });
    expect(short).toEqual({ ok: false, problems: [expect.stringMatching(/^QUERY_RECEIPT_KEY must be 32-512/)] });
    expect(JSON.stringify(short)).not.toContain('short-secret');
  });

  it('needs no API keys to rebuild the read model', () => {
    expect(loadQueryConfig({ LEDGER_SQLITE_FILE: '/l.sqlite', QUERY_READ_MODEL_FILE: '/q.sqlite' }, { purpose: 'rebuild' })).toMatchObject({ ok: true, config: { readModel: { kind: 'sqlite', file: '/q.sqlite' } } });
    expect(loadQueryConfig({ QUERY_PORT: 'x' }, { purpose: 'rebuild' }).ok).toBe(false);
  });

  it('lists every variable it reads, with required and secret flags, for the manifests', () => {
    const byName = new Map(QUERY_CONFIG_VARIABLES.map((v) => [v.name, v]));
    expect(QUERY_CONFIG_VARIABLES.filter((v) => v.required)).toEqual([{ name: 'QUERY_API_KEYS', required: true, secret: true, file: 'QUERY_API_KEYS_FILE' }]);
    expect(byName.get('QUERY_API_KEYS_FILE')).toEqual({ name: 'QUERY_API_KEYS_FILE', required: false, secret: false, fileFor: 'QUERY_API_KEYS' });
    expect(QUERY_CONFIG_VARIABLES.filter((v) => v.secret).map((v) => v.name).sort()).toEqual(['DATABASE_URL', 'EVENTSTORE_URL', 'LEDGER_SIGNING_KEY', 'OCPI_TOKEN_KEY', 'PGPASSWORD', 'QUERY_API_KEYS', 'QUERY_RECEIPT_KEY']);
    for (const name of ['QUERY_PORT', 'QUERY_HOST', 'METRICS_PORT', 'LOG_LEVEL', 'SHUTDOWN_GRACE_MS', 'QUERY_READ_MODEL', 'LEDGER_STORE', 'PGHOST']) expect(byName.get(name)).toMatchObject({ required: false, secret: false });
    for (const v of QUERY_CONFIG_VARIABLES.filter((x) => !x.fileFor)) {
      const r = loadQueryConfig({ QUERY_API_KEYS: KEYS, [v.name]: 'not valid here \u0000 !' });
      expect({ name: v.name, reported: !r.ok && r.problems.some((p) => p.startsWith(v.name)) }).toEqual({ name: v.name, reported: true });
    }
  });

  it('is the only reader of process.env: main.ts and rebuildMain.ts pass it in, no other file of the service reads it', () => {
    const src = join(__dirname, '..');
    const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
    const readers = files(src)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.spec.ts') && !f.includes('/testing/'))
      .filter((f) => /process\.env\b/.test(readFileSync(f, 'utf8').replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, '')))
      .map((f) => relative(src, f))
      .sort();
    expect(readers).toEqual(['main.ts', 'readmodel/rebuildMain.ts']);
  });
});
