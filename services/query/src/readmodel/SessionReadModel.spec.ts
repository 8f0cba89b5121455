import { SessionReadModel } from './SessionReadModel';
import { sessionStoreContract } from './sessionStoreContract';

sessionStoreContract('sqlite', async () => new SessionReadModel(':memory:'));
