import type { EventStore } from '@metrology-ledger/ledger';
import { SessionProjector } from './SessionProjector';
import type { SessionStore } from './SessionStore';

/**
 * Rebuilds the sessions read model from the ledger's dataset streams. `onProgress` gets
 * (streams done, streams in all) for a progress bar.
 */
export async function rebuildReadModels(store: EventStore, sessions: SessionStore, onProgress?: (done: number, total: number) => void): Promise<number> {
  return new SessionProjector(store, sessions).catchUp(onProgress);
}
