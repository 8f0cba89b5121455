import { loadIngestConfig, INGEST_CONFIG_VARIABLES } from './IngestConfig';

/** A self-signed test CA (no key kept): what Strimzi's cluster CA file looks like. */
const CA_PEM = `
-----BEGIN CERTIFICATE-----
MIIBlzCCAT2gAwIBAgIUSkmS3FIKZDYkcjMhdMvm3ly0I6gwCgYIKoZIzj0EAwIw
IDEeMBwGA1UEAwwVdGVzdC1rYWZrYS1jbHVzdGVyLWNhMCAXDTI2MTEyNzA4MTg0
NFoYDzIxMjYxMTAzMDgxODQ0WjAgMR4wHAYDVQQDDBV0ZXN0LWthZmthLWNsdXN0
ZXItY2EwWTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAARIxNm6L9KFzU+ErD3oEZyd
RDi8Kg6iJCLbs/V6ZVm6H2KdvfOR2nOtcZIvF3UhVA/uDtMh1qU98oNH+PskWCvr
o1MwUTAdBgNVHQ4EFgQU8qEgPTCHJ1ASASlsOIiCjcnOnN8wHwYDVR0jBBgwFoAU
8qEgPTCHJ1ASASlsOIiCjcnOnN8wDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQD
AgNIADBFAiBS++s+XgY6DhpS0PRVKedTDlJ4+zHzn8tcoJOgQH/wfQIhAJIORGZ8
YrUjTLn+PI9syZkv3/9PJI20t7BbWqUF0M84
-----END CERTIFICATE-----
`.trimStart();

const PASSWORD = 'pw-s3cr3t-Value-9f2';
const base = { KAFKA_BROKERS: 'kafka:9093' };

function read(files: Record<string, string>): (path: string) => string {
  return (path) => {
    if (!(path in files)) throw Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
    return files[path];
  };
}

function problemsOf(env: Record<string, string>, files: Record<string, string> = {}): string[] {
  const r = loadIngestConfig({ ...base, ...env }, read(files));
  if (r.ok) throw new Error('expected problems');
  return r.problems;
}

describe('loadIngestConfig: Kafka SASL and TLS', () => {
  it('declares the four variables, the password a secret with a _FILE twin', () => {
    const byName = Object.fromEntries(INGEST_CONFIG_VARIABLES.map((v) => [v.name, v]));
    expect(byName.KAFKA_SASL_MECHANISM).toMatchObject({ required: false, secret: false });
    expect(byName.KAFKA_SASL_USERNAME).toMatchObject({ required: false, secret: false });
    expect(byName.KAFKA_SASL_PASSWORD).toMatchObject({ required: false, secret: true, file: 'KAFKA_SASL_PASSWORD_FILE' });
    expect(byName.KAFKA_SASL_PASSWORD_FILE).toMatchObject({ required: false, fileFor: 'KAFKA_SASL_PASSWORD' });
    expect(byName.KAFKA_SSL_CA_FILE).toMatchObject({ required: false, secret: false });
  });

  it('without them: no TLS, no SASL (plaintext, as the local broker)', () => {
    const r = loadIngestConfig(base, read({}));
    expect(r.ok && r.config.kafka.connection).toEqual({});
  });

  it('SCRAM-SHA-512 over TLS: one connection object with the CA and the credentials', () => {
    const r = loadIngestConfig(
      { ...base, KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'ingest', KAFKA_SASL_PASSWORD: PASSWORD, KAFKA_SSL_CA_FILE: '/ca/ca.crt' },
      read({ '/ca/ca.crt': CA_PEM }),
    );
    expect(r.ok && r.config.kafka.connection).toEqual({
      ssl: { ca: [CA_PEM], rejectUnauthorized: true },
      sasl: { mechanism: 'scram-sha-512', username: 'ingest', password: PASSWORD },
    });
  });

  it.each(['scram-sha-256', 'plain'])('accepts %s', (mechanism) => {
    const r = loadIngestConfig({ ...base, KAFKA_SASL_MECHANISM: mechanism, KAFKA_SASL_USERNAME: 'u', KAFKA_SASL_PASSWORD: PASSWORD }, read({}));
    expect(r.ok && r.config.kafka.connection).toEqual({ sasl: { mechanism, username: 'u', password: PASSWORD } });
  });

  it('reads the password from KAFKA_SASL_PASSWORD_FILE (trailing line break dropped)', () => {
    const r = loadIngestConfig(
      { ...base, KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'ingest', KAFKA_SASL_PASSWORD_FILE: '/secret/password' },
      read({ '/secret/password': `${PASSWORD}\n` }),
    );
    expect(r.ok && r.config.kafka.connection.sasl).toEqual({ mechanism: 'scram-sha-512', username: 'ingest', password: PASSWORD });
  });

  it('TLS alone: the CA without SASL', () => {
    const r = loadIngestConfig({ ...base, KAFKA_SSL_CA_FILE: '/ca/ca.crt' }, read({ '/ca/ca.crt': CA_PEM }));
    expect(r.ok && r.config.kafka.connection).toEqual({ ssl: { ca: [CA_PEM], rejectUnauthorized: true } });
  });

  const cases: Array<[string, Record<string, string>, Record<string, string>, RegExp]> = [
    ['a user without password', { KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'ingest' }, {}, /KAFKA_SASL_USERNAME is set without KAFKA_SASL_PASSWORD/],
    ['a password without user', { KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_PASSWORD: PASSWORD }, {}, /KAFKA_SASL_PASSWORD .*is set without KAFKA_SASL_USERNAME/],
    ['a password file without user', { KAFKA_SASL_PASSWORD_FILE: '/secret/password' }, { '/secret/password': PASSWORD }, /without KAFKA_SASL_USERNAME/],
    ['credentials without mechanism', { KAFKA_SASL_USERNAME: 'ingest', KAFKA_SASL_PASSWORD: PASSWORD }, {}, /without KAFKA_SASL_MECHANISM/],
    ['a mechanism without credentials', { KAFKA_SASL_MECHANISM: 'scram-sha-512' }, {}, /KAFKA_SASL_MECHANISM is set without/],
    ['a bad mechanism', { KAFKA_SASL_MECHANISM: 'gssapi', KAFKA_SASL_USERNAME: 'ingest', KAFKA_SASL_PASSWORD: PASSWORD }, {}, /KAFKA_SASL_MECHANISM must be one of scram-sha-512, scram-sha-256, plain; got "gssapi"/],
    ['an unreadable CA file', { KAFKA_SSL_CA_FILE: '/ca/missing.crt' }, {}, /KAFKA_SSL_CA_FILE: cannot read "\/ca\/missing.crt" \(ENOENT\)/],
    ['a CA file without a certificate', { KAFKA_SSL_CA_FILE: '/ca/ca.crt' }, { '/ca/ca.crt': 'not a certificate' }, /KAFKA_SSL_CA_FILE: "\/ca\/ca.crt" holds no PEM certificate/],
    ['a CA file with a broken certificate', { KAFKA_SSL_CA_FILE: '/ca/ca.crt' }, { '/ca/ca.crt': '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' }, /holds no PEM certificate/],
    ['an unreadable password file', { KAFKA_SASL_MECHANISM: 'scram-sha-512', KAFKA_SASL_USERNAME: 'ingest', KAFKA_SASL_PASSWORD_FILE: '/secret/missing' }, {}, /KAFKA_SASL_PASSWORD_FILE: cannot read/],
  ];
  it.each(cases)('stops on %s, naming the problem and never the password', (_what, env, files, expected) => {
    const problems = problemsOf(env, files);
    expect(problems.join('\n')).toMatch(expected);
    for (const p of problems) expect(p).not.toContain(PASSWORD);
  });

  it('lists every Kafka problem at once, the password in none of them', () => {
    const problems = problemsOf({ KAFKA_SASL_MECHANISM: 'SCRAM', KAFKA_SASL_PASSWORD: PASSWORD, KAFKA_SSL_CA_FILE: '/nope' });
    expect(problems).toHaveLength(3);
    expect(JSON.stringify(problems)).not.toContain(PASSWORD);
  });
});
