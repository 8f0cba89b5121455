import { readAll, STREAM_PREFIX, type ConflictReceived, type DatasetRecorded, type EventStore } from '@metrology-ledger/ledger';
import { sessionFromDataset, withConflict } from '../domain/projectSession';
import type { SessionReadModel } from './SessionReadModel';

/**
 * Rebuilds the sessions read model from the ledger's dataset streams. `onProgress` gets
 * (streams done, streams in all) for a progress bar.
 */
export async function rebuildReadModels(store: EventStore, sessions: SessionReadModel, onProgress?: (done: number, total: number) => void): Promise<number> {
  const streams = await store.streams(STREAM_PREFIX.datasets);
  let n = 0;
  for (const [i, streamId] of streams.entries()) {
    for await (const stored of readAll(store, streamId)) {
      if (stored.type === 'DatasetRecorded') {
        sessions.upsert(sessionFromDataset({ type: 'DatasetRecorded', data: JSON.parse(stored.dataText) } as DatasetRecorded, streamId, stored.recordedAt));
        n++;
      } else if (stored.type === 'ConflictReceived') {
        const e = { type: 'ConflictReceived', data: JSON.parse(stored.dataText) } as ConflictReceived;
        const current = sessions.get(streamId, e.data.counter);
        if (current) sessions.upsert(withConflict(current, e));
      }
    }
    onProgress?.(i + 1, streams.length);
  }
  return n;
}
