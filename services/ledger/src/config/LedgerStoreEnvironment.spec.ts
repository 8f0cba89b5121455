import { parse } from 'pg-connection-string';
import { ledgerStoreSettings, postgresUrl } from './LedgerStoreEnvironment';

describe('postgresUrl', () => {
  it('builds the URL from the libpq variables, encoding what needs it, so pg reads back exactly the values given', () => {
    const url = postgresUrl({ PGHOST: 'db.internal', PGPORT: '6432', PGUSER: 'in gest', PGPASSWORD: 'p@ss:/%?#', PGDATABASE: 'ledger' }).toString();
    expect(parse(url)).toMatchObject({ host: 'db.internal', port: '6432', user: 'in gest', password: 'p@ss:/%?#', database: 'ledger' });
  });

  it('keeps every part DATABASE_URL gives and fills only what it leaves out, as libpq does', () => {
    const url = postgresUrl({ DATABASE_URL: 'postgresql://app@primary:5432/prod', PGHOST: 'other', PGUSER: 'other', PGPASSWORD: 'from-file', PGDATABASE: 'other' }).toString();
    expect(parse(url)).toMatchObject({ host: 'primary', port: '5432', user: 'app', password: 'from-file', database: 'prod' });
  });

  it('takes a socket directory as the host', () => {
    expect(parse(postgresUrl({ PGHOST: '/var/run/postgresql', PGDATABASE: 'test' }).toString())).toMatchObject({ host: '/var/run/postgresql', database: 'test' });
  });
});

describe('ledgerStoreSettings', () => {
  it('describes the store without its user or password', () => {
    const s = ledgerStoreSettings({ LEDGER_STORE: 'postgres', DATABASE_URL: 'postgresql://app:secret@primary:5432/prod' });
    expect(s.description).toBe('postgres primary:5432/prod, schema ledger');
    expect(s.environment).toEqual({ LEDGER_STORE: 'postgres', DATABASE_URL: 'postgresql://app:secret@primary:5432/prod' });
  });

  it('hands SQLite its file and nothing else', () => {
    expect(ledgerStoreSettings({ LEDGER_SQLITE_FILE: '/data/ledger.sqlite', PGPASSWORD: 'unused' })).toEqual({
      store: 'sqlite',
      environment: { LEDGER_STORE: 'sqlite', LEDGER_SQLITE_FILE: '/data/ledger.sqlite' },
      description: 'sqlite /data/ledger.sqlite',
      evidence: { checkpointPolicy: { everyEvents: 10_000, everyMinutes: 60 } },
    });
  });

  it('takes the signing key and the checkpoint policy as given', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIA==\n-----END PRIVATE KEY-----';
    expect(ledgerStoreSettings({ LEDGER_SIGNING_KEY: pem, LEDGER_CHECKPOINT_EVERY_EVENTS: '50', LEDGER_CHECKPOINT_EVERY_MINUTES: '5' }).evidence).toEqual({
      signingKeyPem: pem,
      checkpointPolicy: { everyEvents: 50, everyMinutes: 5 },
    });
  });
});
