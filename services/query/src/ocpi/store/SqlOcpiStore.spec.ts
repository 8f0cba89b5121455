import { ocpiStoreContract } from './ocpiStoreContract';
import { SqliteRunner } from './SqliteRunner';
import { SqlOcpiStore } from './SqlOcpiStore';

ocpiStoreContract('sqlite', async () => new SqlOcpiStore(new SqliteRunner(':memory:')));

describe('SqlOcpiStore on a store of the first version', () => {
  it('adds the role and route columns at start: its eMSPs stay eMSPs, its CDRs direct', async () => {
    const runner = new SqliteRunner(':memory:');
    await runner.exec(`
      CREATE TABLE ocpi_parties (
        emsp_id TEXT PRIMARY KEY, country_code TEXT NOT NULL, party_id TEXT NOT NULL, name TEXT NOT NULL, state TEXT NOT NULL,
        token_a TEXT, token_c TEXT, their_token TEXT, their_versions_url TEXT, their_cdrs_url TEXT, their_credentials TEXT, registered_at TEXT,
        UNIQUE (country_code, party_id));
      CREATE TABLE ocpi_cdrs (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, emsp_id TEXT NOT NULL, stream_id TEXT NOT NULL, counter TEXT NOT NULL,
        last_updated TEXT NOT NULL, body TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL,
        next_attempt_at TEXT, last_error TEXT, delivered_at TEXT, location TEXT);
      INSERT INTO ocpi_parties (emsp_id, country_code, party_id, name, state, token_a) VALUES ('DE-OLD', 'DE', 'OLD', 'Old', 'awaiting-registration', 'a0');
      INSERT INTO ocpi_cdrs (id, emsp_id, stream_id, counter, last_updated, body, state, attempts) VALUES ('c0', 'DE-OLD', 's', '1', '2026-01-01T00:00:00.000Z', '{"id":"c0"}', 'delivered', 1);`);
    const store = new SqlOcpiStore(runner);
    expect(await store.party('DE-OLD')).toMatchObject({ role: 'EMSP' });
    expect(await store.cdr('c0')).toMatchObject({ via: null });
    expect((await store.cdrPage({ via: null, emspId: 'DE-OLD' }, { offset: 0, limit: 10 })).items).toEqual([{ id: 'c0' }]);
    await store.close();
  });
});
