import type { Ledger, RecordedEvent } from '@metrology-ledger/ledger';
import { InvalidCursor } from './InvalidCursor';
import { decodeStreamCursor, encodeStreamCursor } from './StreamCursor';

/** One page of a list: `nextCursor` is null only at the end (a page may hold fewer than `limit` items). */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface PageBounds {
  /** At most this many items. */
  limit: number;
  /** Stop before an item would take the page's JSON beyond this many bytes (one item always fits). */
  maxBytes: number;
  /** Read at most this many events per request, matching or not: a sparse list answers in bounded time. */
  maxScanned: number;
  /** Events read from the ledger per call (small when events can be large: rejected raw messages). */
  chunk: number;
}

/** 4 MiB: a page of rejected messages (each up to the 1 MiB ingest limit) stays bounded in bytes. */
export const MAX_PAGE_BYTES = 4 * 1024 * 1024;
export const MAX_SCANNED_PER_PAGE = 10_000;

/**
 * One page of the items `select` finds in `streams` (read in the given order, each from revision 0),
 * through the ledger's paged `read`: never more than one chunk of events in memory. The cursor names
 * the stream and revision to continue from; a cursor naming a stream outside `streams` is refused.
 */
export async function pageOfStreams<T>(ledger: Ledger, streams: readonly string[], after: string | undefined, bounds: PageBounds, select: (e: RecordedEvent) => T | undefined): Promise<Page<T>> {
  let index = 0;
  let revision = 0;
  if (after !== undefined) {
    const cursor = decodeStreamCursor(after);
    index = streams.indexOf(cursor.streamId);
    if (index < 0) throw new InvalidCursor('cursor belongs to another list: start without it');
    revision = cursor.revision;
  }
  const items: T[] = [];
  let bytes = 2;
  let scanned = 0;
  while (index < streams.length) {
    const streamId = streams[index];
    const page = await ledger.read(streamId, revision, bounds.chunk);
    for (const [i, e] of page.events.entries()) {
      const item = select(e);
      if (item !== undefined) {
        const size = Buffer.byteLength(JSON.stringify(item)) + 1;
        if (items.length > 0 && bytes + size > bounds.maxBytes) return { items, nextCursor: encodeStreamCursor({ streamId, revision: e.revision }) };
        items.push(item);
        bytes += size;
      }
      scanned++;
      const last = i === page.events.length - 1 && page.next === null;
      if (items.length >= bounds.limit || scanned >= bounds.maxScanned) {
        if (!last) return { items, nextCursor: encodeStreamCursor({ streamId, revision: e.revision + 1 }) };
        return { items, nextCursor: index + 1 < streams.length ? encodeStreamCursor({ streamId: streams[index + 1], revision: 0 }) : null };
      }
    }
    if (page.next === null) {
      index++;
      revision = 0;
    } else {
      revision = page.next;
    }
  }
  return { items, nextCursor: null };
}
