import type { EventStore } from '@metrology-ledger/ledger';
import { SessionProjector } from './SessionProjector';
import type { SessionReadModel } from './SessionReadModel';

/**
 * Rebuilds the sessions read model from the ledger's dataset streams. `onProgress` gets
 * (streams done, streams in all) for a progress bar.
 */
export async function rebuildReadModels(store: EventStore, sessions: SessionReadModel, onProgress?: (done: number, total: number) => void): Promise<number> {
  return new SessionProjector(store, sessions).catchUp(onProgress);
}
