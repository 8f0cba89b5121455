import { ocpiStoreContract } from './ocpiStoreContract';
import { SqliteRunner } from './SqliteRunner';
import { SqlOcpiStore } from './SqlOcpiStore';

ocpiStoreContract('sqlite', async () => new SqlOcpiStore(new SqliteRunner(':memory:')));
