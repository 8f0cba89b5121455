import type { AppendResult, NewEvent } from '../ports/EventStore';

/** One append as a caller asked for it. */
export interface AppendRequest {
  streamId: string;
  expectedRevision: number;
  events: readonly NewEvent[];
}

interface Pending extends AppendRequest {
  resolve: (r: AppendResult) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit for an event store: an append arriving while none is being written goes out at once;
 * appends arriving while one is written wait and go out together in the next write, in arrival order.
 * The store writes a group in one transaction (`write`), each append still at its own expected
 * revision, and answers each append on its own; the group's failure is every member's failure (none
 * is written, each caller retries). At most `maxEvents` events go in one group (a single larger
 * append goes alone). A store whose writes do not wait (SQLite: synchronous) gathers the appends
 * of one turn of the event loop instead (`gather: setImmediate`), since none arrive during a write.
 */
export class AppendBatcher {
  private queue: Pending[] = [];
  private writing = false;

  constructor(
    private readonly write: (group: readonly AppendRequest[]) => Promise<AppendResult[]>,
    private readonly maxEvents = 1000,
    private readonly gather: (start: () => void) => void = (start) => start(),
  ) {}

  append(streamId: string, expectedRevision: number, events: readonly NewEvent[]): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ streamId, expectedRevision, events, resolve, reject });
      if (!this.writing) {
        this.writing = true;
        this.gather(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        let n = 0;
        let events = 0;
        while (n < this.queue.length && (n === 0 || events + this.queue[n].events.length <= this.maxEvents)) events += this.queue[n++].events.length;
        const group = this.queue.splice(0, n);
        try {
          const results = await this.write(group);
          group.forEach((p, i) => p.resolve(results[i]));
        } catch (e) {
          for (const p of group) p.reject(e);
        }
      }
    } finally {
      this.writing = false;
    }
  }
}
