import { TestPki } from '../testing/TestPki';
import { EDGE_CONFIG_VARIABLES, EdgeConfigInvalid, loadEdgeConfig } from './loadEdgeConfig';

/** Files the config names, served from memory. */
function files(extra: Record<string, string> = {}): (path: string) => string {
  return (path) => {
    const all: Record<string, string> = { '/stations.json': '{"stations":{"CP-1":{}}}', ...pem, ...extra };
    if (!(path in all)) throw Object.assign(new Error(`ENOENT: ${path}`), { code: 'ENOENT' });
    return all[path];
  };
}

// Real PEM files (the loader parses them), made with the machine's openssl.
let pki: TestPki;
const pem: Record<string, string> = {};
beforeAll(() => {
  pki = new TestPki();
  pem['/tls/server.crt'] = pki.server.cert;
  pem['/tls/server.key'] = pki.server.key;
  pem['/tls/ca.crt'] = pki.ca.cert;
});
afterAll(() => pki.dispose());

const minimal = { EDGE_MODE: 'standalone', EDGE_STATIONS_FILE: '/stations.json', KAFKA_BROKERS: '127.0.0.1:19092', EDGE_TLS_CERT: '/tls/server.crt', EDGE_TLS_KEY: '/tls/server.key' };

function problemsOf(env: Record<string, string>, read = files()): string[] {
  try {
    loadEdgeConfig(env, { hostname: 'host-a' }, read);
  } catch (e) {
    if (e instanceof EdgeConfigInvalid) return e.problems;
    throw e;
  }
  return [];
}

describe('loadEdgeConfig', () => {
  it('fills every default from a minimal standalone environment', () => {
    const c = loadEdgeConfig({ ...minimal, UNRELATED: 'x' }, { hostname: 'host-a' }, files());
    expect(c).toEqual({
      mode: 'standalone',
      listen: { host: '0.0.0.0', port: 8443 },
      securityProfiles: new Set([2]),
      tls: { certFile: '/tls/server.crt', keyFile: '/tls/server.key' },
      stationsFile: '/stations.json',
      kafka: { brokers: ['127.0.0.1:19092'], topic: 'ocpp-frames', clientId: 'ocpp-edge-host-a', ackTimeoutMs: 10_000, connection: {} },
      maxFrameBytes: 65_536,
      maxBadFrames: 5,
      heartbeatIntervalS: 300,
      edgeInstance: 'host-a',
      shutdownTimeoutMs: 10_000,
      health: { host: '0.0.0.0', port: 9102 },
      metrics: { host: '0.0.0.0', port: 9464 },
      log: { level: 'info' },
      shutdownGraceMs: 25_000,
    });
  });

  it('reads the health, metrics, log and grace settings, and keeps the shutdown steps inside the grace period', () => {
    const c = loadEdgeConfig(
      { ...minimal, EDGE_HEALTH_PORT: '0', EDGE_HEALTH_HOST: '127.0.0.1', METRICS_PORT: '0', METRICS_HOST: '127.0.0.1', LOG_LEVEL: 'debug', SHUTDOWN_GRACE_MS: '5000' },
      { hostname: 'h' },
      files(),
    );
    expect([c.health, c.metrics, c.log, c.shutdownGraceMs, c.shutdownTimeoutMs]).toEqual([{ host: '127.0.0.1', port: 0 }, { host: '127.0.0.1', port: 0 }, { level: 'debug' }, 5000, 2000]);
    expect(problemsOf({ ...minimal, SHUTDOWN_GRACE_MS: '5000', EDGE_SHUTDOWN_TIMEOUT_MS: '3000' })).toEqual([
      'EDGE_SHUTDOWN_TIMEOUT_MS (3000) is too long for SHUTDOWN_GRACE_MS (5000): a stop waits up to twice it (calls in flight, then Kafka) and needs a second more; at most 2000',
    ]);
    expect(problemsOf({ ...minimal, EDGE_HEALTH_PORT: '9464' })).toEqual(['EDGE_HEALTH_PORT and METRICS_PORT must differ; both are 9464']);
    expect(problemsOf({ ...minimal, LOG_LEVEL: 'loud', SHUTDOWN_GRACE_MS: '10', METRICS_PORT: '-1' })).toEqual([
      'METRICS_PORT must be an integer from 0 to 65535 (0: any free port)',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent',
      'SHUTDOWN_GRACE_MS must be an integer from 1000 to 600000',
    ]);
  });

  it('lists every variable it reads for the manifests (EDGE_CONFIG_VARIABLES): required ones, one secret (the Kafka password)', () => {
    const byName = new Map(EDGE_CONFIG_VARIABLES.map((v) => [v.name, v]));
    expect(EDGE_CONFIG_VARIABLES.filter((v) => v.required).map((v) => v.name)).toEqual(['EDGE_MODE', 'EDGE_STATIONS_FILE', 'KAFKA_BROKERS']);
    for (const name of ['EDGE_PORT', 'EDGE_TLS_CERT', 'EDGE_TLS_KEY', 'EDGE_TLS_CA', 'EDGE_UPSTREAM_URL', 'EDGE_UPSTREAM_KEY', 'EDGE_HEALTH_PORT', 'METRICS_PORT', 'LOG_LEVEL', 'SHUTDOWN_GRACE_MS', 'EDGE_SHUTDOWN_TIMEOUT_MS']) {
      expect(byName.get(name)).toEqual({ name, required: false, secret: false });
    }
    expect(EDGE_CONFIG_VARIABLES.filter((v) => v.secret || v.file || v.fileFor).map((v) => v.name)).toEqual(['KAFKA_SASL_PASSWORD', 'KAFKA_SASL_PASSWORD_FILE']);
    expect(new Set(EDGE_CONFIG_VARIABLES.map((v) => v.name)).size).toBe(EDGE_CONFIG_VARIABLES.length);
  });

  it('keeps the standalone transaction-id mark file, and refuses it in proxy mode, where the CSMS assigns ids', () => {
    expect(loadEdgeConfig({ ...minimal, EDGE_TRANSACTION_ID_FILE: '/var/lib/ocpp-edge/transaction-ids' }, { hostname: 'h' }, files()).transactionIdFile).toBe('/var/lib/ocpp-edge/transaction-ids');
    expect(problemsOf({ ...minimal, EDGE_MODE: 'proxy', EDGE_UPSTREAM_URL: 'ws://csms', EDGE_TRANSACTION_ID_FILE: '/t' })).toEqual([
      'EDGE_TRANSACTION_ID_FILE set in proxy mode, where the CSMS assigns transaction ids: unset it or set EDGE_MODE=standalone',
    ]);
  });

  it('reads a full proxy environment with profiles 2 and 3', () => {
    const c = loadEdgeConfig(
      {
        ...minimal,
        EDGE_MODE: 'proxy',
        EDGE_HOST: '127.0.0.1',
        EDGE_PORT: '9443',
        EDGE_SECURITY_PROFILES: '2, 3',
        EDGE_TLS_CA: '/tls/ca.crt',
        EDGE_UPSTREAM_URL: 'wss://csms.example.com/ocpp/',
        EDGE_UPSTREAM_BASIC_AUTH: 'none',
        EDGE_UPSTREAM_CA: '/tls/ca.crt',
        EDGE_UPSTREAM_TIMEOUT_MS: '5000',
        KAFKA_BROKERS: 'k1:9092, k2:9092',
        KAFKA_TOPIC_OCPP_FRAMES: 'frames.v1',
        EDGE_KAFKA_ACK_TIMEOUT_MS: '2500',
        EDGE_MAX_FRAME_BYTES: '131072',
        EDGE_MAX_BAD_FRAMES: '2',
        EDGE_HEARTBEAT_INTERVAL_S: '60',
        EDGE_INSTANCE_ID: 'edge-7',
        EDGE_SHUTDOWN_TIMEOUT_MS: '0',
      },
      { hostname: 'host-a' },
      files(),
    );
    expect(c.securityProfiles).toEqual(new Set([2, 3]));
    expect(c.tls).toEqual({ certFile: '/tls/server.crt', keyFile: '/tls/server.key', caFile: '/tls/ca.crt' });
    expect(c.upstream).toEqual({ url: 'wss://csms.example.com/ocpp', basicAuth: 'none', caFile: '/tls/ca.crt', timeoutMs: 5000 });
    expect(c.kafka).toEqual({ brokers: ['k1:9092', 'k2:9092'], topic: 'frames.v1', clientId: 'ocpp-edge-edge-7', ackTimeoutMs: 2500, connection: {} });
    expect([c.listen.port, c.maxFrameBytes, c.maxBadFrames, c.heartbeatIntervalS, c.shutdownTimeoutMs]).toEqual([9443, 131072, 2, 60, 0]);
  });

  it('lists every problem at once, each naming its variable', () => {
    expect(problemsOf({})).toEqual([
      'EDGE_MODE is required: standalone (the edge answers as a minimal CSMS) or proxy (between stations and your CSMS)',
      'EDGE_STATIONS_FILE is required: the stations the edge accepts (see add-station)',
      'KAFKA_BROKERS is required, e.g. 127.0.0.1:19092 (comma-separated)',
      'EDGE_TLS_CERT is required for security profiles 2 and 3: the server certificate (PEM), chain included',
      'EDGE_TLS_KEY is required for security profiles 2 and 3: the server private key (PEM)',
    ]);
    const problems = problemsOf({ EDGE_MODE: 'gateway', KAFKA_BROKERS: 'k1', EDGE_PORT: '70000', EDGE_MAX_BAD_FRAMES: 'many', EDGE_SECURITY_PROFILES: '2,4', KAFKA_TOPIC_OCPP_FRAMES: 'bad topic' });
    expect(problems).toEqual(
      expect.arrayContaining([
        'EDGE_MODE must be standalone or proxy',
        'EDGE_PORT must be an integer from 0 to 65535',
        'EDGE_MAX_BAD_FRAMES must be an integer from 1 to 10000',
        'EDGE_SECURITY_PROFILES must list profiles 1, 2, 3 separated by commas, e.g. "2,3"',
        'EDGE_STATIONS_FILE is required: the stations the edge accepts (see add-station)',
        'KAFKA_BROKERS must list host:port pairs separated by commas, e.g. 127.0.0.1:19092',
        'KAFKA_TOPIC_OCPP_FRAMES must be a Kafka topic name (letters, digits, . _ -; default ocpp-frames)',
      ]),
    );
    expect(problems).toHaveLength(7);
    const message = new EdgeConfigInvalid(problems).message;
    expect(message).toMatch(/^7 problem\(s\) in the settings/);
    expect(message.split('\n')).toHaveLength(8);
  });

  it('treats an empty variable as unset', () => {
    expect(loadEdgeConfig({ ...minimal, EDGE_PORT: '', EDGE_HOST: '' }, { hostname: 'h' }, files()).listen).toEqual({ host: '0.0.0.0', port: 8443 });
  });

  it('allows security profile 1 only when enabled explicitly, and never beside TLS profiles', () => {
    const sp1 = { EDGE_MODE: 'standalone', EDGE_STATIONS_FILE: '/stations.json', KAFKA_BROKERS: 'k:1', EDGE_SECURITY_PROFILES: '1' };
    expect(problemsOf(sp1)).toEqual(['EDGE_SECURITY_PROFILES includes 1 (plain ws, password in clear): set EDGE_ALLOW_SP1=true to allow it, for development only']);
    const c = loadEdgeConfig({ ...sp1, EDGE_ALLOW_SP1: 'true' }, { hostname: 'h' }, files());
    expect(c.securityProfiles).toEqual(new Set([1]));
    expect(c.tls).toBeUndefined();
    expect(problemsOf({ ...minimal, EDGE_SECURITY_PROFILES: '1,2', EDGE_ALLOW_SP1: 'true' })).toEqual([
      'EDGE_SECURITY_PROFILES cannot mix 1 (plain ws) with 2 or 3 (TLS) on one listener: run a second edge for profile 1',
    ]);
    expect(problemsOf({ ...minimal, EDGE_SECURITY_PROFILES: '1', EDGE_ALLOW_SP1: 'true' })[0]).toMatch(/^EDGE_TLS_\* are set but EDGE_SECURITY_PROFILES is 1/);
  });

  it('requires the TLS files for profiles 2 and 3 and the operator CA for profile 3', () => {
    const { EDGE_TLS_CERT: _c, EDGE_TLS_KEY: _k, ...noTls } = minimal;
    expect(problemsOf({ ...noTls, EDGE_SECURITY_PROFILES: '3' })).toEqual([
      'EDGE_TLS_CERT is required for security profiles 2 and 3: the server certificate (PEM), chain included',
      'EDGE_TLS_KEY is required for security profiles 2 and 3: the server private key (PEM)',
      'EDGE_TLS_CA is required for security profile 3: the operator CA (PEM) that issues the station certificates',
    ]);
  });

  it('requires an upstream in proxy mode and refuses upstream settings in standalone mode', () => {
    expect(problemsOf({ ...minimal, EDGE_MODE: 'proxy' })).toEqual([
      "EDGE_UPSTREAM_URL is required in proxy mode: the operator's CSMS endpoint, e.g. wss://csms.example.com/ocpp",
    ]);
    expect(problemsOf({ ...minimal, EDGE_UPSTREAM_URL: 'ws://csms:9000' })).toEqual([
      'EDGE_UPSTREAM_URL set in standalone mode, where there is no upstream: set EDGE_MODE=proxy or unset them',
    ]);
    expect(problemsOf({ ...minimal, EDGE_MODE: 'proxy', EDGE_UPSTREAM_URL: 'http://csms' })).toEqual([
      'EDGE_UPSTREAM_URL must be a ws:// or wss:// URL (the station identity is appended)',
    ]);
    expect(problemsOf({ ...minimal, EDGE_MODE: 'proxy', EDGE_UPSTREAM_URL: 'ws://csms', EDGE_UPSTREAM_CERT: '/tls/server.crt' })).toEqual([
      'EDGE_UPSTREAM_CERT and EDGE_UPSTREAM_KEY go together: the client certificate and key the edge presents to the CSMS',
    ]);
  });

  it('reports files that cannot be read or do not hold what they should', () => {
    const problems = problemsOf(
      { ...minimal, EDGE_TLS_CERT: '/missing.crt', EDGE_TLS_KEY: '/tls/server.crt', EDGE_STATIONS_FILE: '/bad-stations.json' },
      files({ '/bad-stations.json': '{"stations":{"CP 1":{"password":"plain"}}}' }),
    );
    expect(problems).toEqual([
      'EDGE_TLS_CERT: cannot read "/missing.crt" (ENOENT)',
      expect.stringMatching(/^EDGE_TLS_KEY: "\/tls\/server.crt" holds no PEM key/),
      'EDGE_STATIONS_FILE ("/bad-stations.json"): station "CP 1": a station id is 1-100 characters of letters, digits and . : * _ -',
      'EDGE_STATIONS_FILE ("/bad-stations.json"): station "CP 1": a password hash reads scrypt$<N>$<r>$<p>$<salt>$<hash> (written by `hash-password` or `add-station`)',
    ]);
  });
});

describe('loadEdgeConfig: Kafka SASL and TLS', () => {
  const PASSWORD = 'edge-pw-S3cret-77q';
  const scram = { KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'ocpp-edge', KAFKA_SASL_PASSWORD: PASSWORD };

  it('declares the four variables, the password a secret with a _FILE twin', () => {
    const byName = Object.fromEntries(EDGE_CONFIG_VARIABLES.map((v) => [v.name, v]));
    for (const name of ['KAFKA_SASL_MECHANISM', 'KAFKA_SASL_USERNAME', 'KAFKA_SSL_CA_FILE']) expect(byName[name]).toMatchObject({ required: false, secret: false });
    expect(byName.KAFKA_SASL_PASSWORD).toMatchObject({ required: false, secret: true, file: 'KAFKA_SASL_PASSWORD_FILE' });
    expect(byName.KAFKA_SASL_PASSWORD_FILE).toMatchObject({ required: false, fileFor: 'KAFKA_SASL_PASSWORD' });
  });

  it('SCRAM-SHA-512 over TLS: one connection object with the CA and the credentials', () => {
    const c = loadEdgeConfig({ ...minimal, ...scram, KAFKA_SSL_CA_FILE: '/kafka/ca.crt' }, { hostname: 'h' }, files({ '/kafka/ca.crt': pki.ca.cert }));
    expect(c.kafka.connection).toEqual({ ssl: { ca: [pki.ca.cert], rejectUnauthorized: true }, sasl: { mechanism: 'scram-sha-512', username: 'ocpp-edge', password: PASSWORD } });
  });

  it.each(['scram-sha-256', 'plain'])('accepts %s; the password from KAFKA_SASL_PASSWORD_FILE', (mechanism) => {
    const c = loadEdgeConfig(
      { ...minimal, KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD_FILE: '/secret/pw' },
      { hostname: 'h' },
      files({ '/secret/pw': `${PASSWORD}\n` }),
    );
    expect(c.kafka.connection).toEqual({ sasl: { mechanism, username: 'u', password: PASSWORD } });
  });

  it.each<[string, Record<string, string>, Record<string, string>, RegExp]>([
    ['a user without password', { KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'u' }, {}, /KAFKA_SASL_USERNAME is set without KAFKA_SASL_PASSWORD/],
    ['a password without user', { KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_PASSWORD: PASSWORD }, {}, /is set without KAFKA_SASL_USERNAME/],
    ['credentials without mechanism', { KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: PASSWORD }, {}, /without KAFKA_SASL_MECHANISM/],
    ['a bad mechanism', { ...scram, KAFKA_SASL_MECHANISM: 'oauthbearer' }, {}, /KAFKA_SASL_MECHANISM must be one of scram-sha-512, scram-sha-256, plain; got "oauthbearer"/],
    ['an unreadable CA file', { ...scram, KAFKA_SSL_CA_FILE: '/kafka/missing.crt' }, {}, /KAFKA_SSL_CA_FILE: cannot read "\/kafka\/missing.crt" \(ENOENT\)/],
    ['a CA file without a certificate', { ...scram, KAFKA_SSL_CA_FILE: '/kafka/ca.crt' }, { '/kafka/ca.crt': PASSWORD }, /KAFKA_SSL_CA_FILE: "\/kafka\/ca.crt" holds no PEM certificate/],
    ['a CA file holding a key', { ...scram, KAFKA_SSL_CA_FILE: '/tls/server.key' }, {}, /holds no PEM certificate/],
  ])('stops on %s, naming the problem and never the password', (_what, env, extra, expected) => {
    const problems = problemsOf({ ...minimal, ...env }, files(extra));
    expect(problems.join('\n')).toMatch(expected);
    for (const p of problems) expect(p).not.toContain(PASSWORD);
    try {
      loadEdgeConfig({ ...minimal, ...env }, { hostname: 'h' }, files(extra));
    } catch (e) {
      expect(String((e as Error).message)).not.toContain(PASSWORD);
    }
  });
});
