import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventStoreContract } from '../ports/eventStoreContract';
import { SqliteEventStore } from './SqliteEventStore';

eventStoreContract('sqlite (file)', async () => new SqliteEventStore(join(mkdtempSync(join(tmpdir(), 'ledger-')), 'ledger.sqlite')));
