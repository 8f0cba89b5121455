import type { ConflictReceived, DatasetRecorded, Ledger, RecordedEvent } from '@metrology-ledger/ledger';
import { projectDataset, withConflict } from '../domain/projectSession';
import type { SessionStore } from './SessionStore';

/** A record the projector could not read completely: for the service log, never for callers. */
export interface ProjectionProblem {
  streamId: string;
  revision: number;
  problem: string;
}

const PAGE = 1000;

/**
 * Keeps the sessions read model up to date with the ledger: remembers how far each dataset stream was
 * projected and, on each `catchUp`, applies only the events appended since. Reads through the ledger
 * API only (`datasetStreams`, paged `read`). Rebuilding from scratch is the same process starting from
 * nothing. One record that cannot be read becomes a session with no energy figure (or is skipped when
 * it is not even an object) and is reported to `onProblem`; it never stops a catch-up.
 */
export class SessionProjector {
  private readonly projected = new Map<string, number>();
  /** Ledger events read and applied so far, over every catch-up (the read model's progress). */
  eventsApplied = 0;

  constructor(
    private readonly ledger: Ledger,
    private readonly sessions: SessionStore,
    private readonly onProblem: (p: ProjectionProblem) => void = () => undefined,
  ) {}

  /** Applies new events; returns how many sessions were added or changed. */
  async catchUp(onProgress?: (done: number, total: number) => void): Promise<number> {
    const streams = await this.ledger.datasetStreams();
    let changed = 0;
    for (const [i, streamId] of streams.entries()) {
      let from: number | null = (this.projected.get(streamId) ?? -1) + 1;
      while (from !== null) {
        const page = await this.ledger.read(streamId, from, PAGE);
        for (const e of page.events) {
          changed += await this.apply(streamId, e);
          this.projected.set(streamId, e.revision);
          this.eventsApplied++;
        }
        from = page.next;
      }
      onProgress?.(i + 1, streams.length);
    }
    return changed;
  }

  private async apply(streamId: string, e: RecordedEvent): Promise<number> {
    if (e.event.type === 'UnreadableEvent') {
      return e.event.data.storedType === 'DatasetRecorded' || e.event.data.storedType === 'ConflictReceived' ? this.skip(streamId, e, `${e.event.data.storedType}: ${e.event.data.reason}`) : 0;
    }
    if (e.event.type === 'DatasetRecorded') {
      if (!isObject(e.event.data)) return this.skip(streamId, e, 'DatasetRecorded without a data object');
      const { view, problem } = projectDataset(e.event as DatasetRecorded, streamId, e.recordedAt);
      if (problem) this.onProblem({ streamId, revision: e.revision, problem });
      await this.sessions.upsert(view);
      return 1;
    }
    if (e.event.type === 'ConflictReceived') {
      if (!isObject(e.event.data) || typeof e.event.data.counter !== 'string') return this.skip(streamId, e, 'ConflictReceived without a counter');
      const current = await this.sessions.get(streamId, e.event.data.counter);
      if (!current) return 0;
      await this.sessions.upsert(withConflict(current, e.event as ConflictReceived));
      return 1;
    }
    return 0;
  }

  private skip(streamId: string, e: RecordedEvent, problem: string): number {
    this.onProblem({ streamId, revision: e.revision, problem: `${problem}: skipped` });
    return 0;
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null;
}
