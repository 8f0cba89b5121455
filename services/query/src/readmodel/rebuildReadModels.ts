import { Ledger, type EventStore } from '@metrology-ledger/ledger';
import { SessionProjector, type ProjectionProblem } from './SessionProjector';
import type { SessionStore } from './SessionStore';

/**
 * Rebuilds the sessions read model from the ledger's dataset streams, read through the ledger API.
 * `onProgress` gets (streams done, streams in all) for a progress display; `onProblem` each record
 * projected without an energy figure or skipped.
 *
 * Takes the Ledger. An EventStore is still accepted (wrapped in a Ledger) for callers not yet moved;
 * pass the Ledger you already have.
 */
export async function rebuildReadModels(
  source: Ledger | EventStore,
  sessions: SessionStore,
  onProgress?: (done: number, total: number) => void,
  onProblem?: (p: ProjectionProblem) => void,
): Promise<number> {
  const ledger = source instanceof Ledger ? source : new Ledger(source);
  return new SessionProjector(ledger, sessions, onProblem).catchUp(onProgress);
}
