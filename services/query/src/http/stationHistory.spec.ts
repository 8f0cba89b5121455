import { SqliteEventStore } from '@metrology-ledger/ledger';
import { stationHistoryEndpointContract } from '../testing/stationHistoryEndpointContract';

stationHistoryEndpointContract('sqlite', async () => new SqliteEventStore(':memory:'));
