import { STREAM_PREFIX, type ConflictReceived, type DatasetRecorded, type EventStore } from '@metrology-ledger/ledger';
import { sessionFromDataset, withConflict } from '../domain/projectSession';
import type { SessionStore } from './SessionStore';

/**
 * Keeps the sessions read model up to date with the ledger: remembers how far each dataset stream was
 * projected and, on each `catchUp`, applies only the events appended since. Rebuilding from scratch is
 * the same process starting from nothing.
 */
export class SessionProjector {
  private readonly projected = new Map<string, number>();

  constructor(
    private readonly store: EventStore,
    private readonly sessions: SessionStore,
  ) {}

  /** Applies new events; returns how many sessions were added or changed. */
  async catchUp(onProgress?: (done: number, total: number) => void): Promise<number> {
    const streams = await this.store.streams(STREAM_PREFIX.datasets);
    let changed = 0;
    for (const [i, streamId] of streams.entries()) {
      let from = (this.projected.get(streamId) ?? -1) + 1;
      for (;;) {
        const page = await this.store.read(streamId, from, 1000);
        for (const stored of page) {
          if (stored.type === 'DatasetRecorded') {
            await this.sessions.upsert(sessionFromDataset({ type: 'DatasetRecorded', data: JSON.parse(stored.dataText) } as DatasetRecorded, streamId, stored.recordedAt));
            changed++;
          } else if (stored.type === 'ConflictReceived') {
            const e = { type: 'ConflictReceived', data: JSON.parse(stored.dataText) } as ConflictReceived;
            const current = await this.sessions.get(streamId, e.data.counter);
            if (current) {
              await this.sessions.upsert(withConflict(current, e));
              changed++;
            }
          }
          this.projected.set(streamId, stored.revision);
        }
        if (page.length < 1000) break;
        from += page.length;
      }
      onProgress?.(i + 1, streams.length);
    }
    return changed;
  }
}
