/**
 * The ledger's port to an event store. Streams are append-only; every append states the revision
 * it expects the stream to be at (optimistic concurrency), so two writers can never interleave in
 * one stream. The hash chain is computed by the ledger; stores keep the data text exactly as given.
 */
export interface NewEvent {
  type: string;
  /** The event data as JSON text, stored verbatim (the hash covers this exact text). */
  dataText: string;
  recordedAt: string;
  prevHash: string;
  hash: string;
}

export interface StoredEvent extends NewEvent {
  streamId: string;
  /** Position in the stream, from 0. */
  revision: number;
}

/** -1: the stream must not exist yet. */
export const NO_STREAM = -1;

export type AppendResult =
  | { ok: true; revision: number }
  | { ok: false; reason: 'wrong-expected-revision'; expected: number; actual: number };

export interface EventStore {
  readonly name: string;
  append(streamId: string, expectedRevision: number, events: readonly NewEvent[]): Promise<AppendResult>;
  /** Events of a stream from `fromRevision`, at most `limit`, in order. */
  read(streamId: string, fromRevision?: number, limit?: number): Promise<StoredEvent[]>;
  /** Stream ids starting with `prefix`, sorted. */
  streams(prefix: string): Promise<string[]>;
  close(): Promise<void>;
}

/** Reads a whole stream in pages, without holding more than one page beyond what the caller keeps. */
export async function* readAll(store: EventStore, streamId: string, pageSize = 1000): AsyncGenerator<StoredEvent> {
  let from = 0;
  for (;;) {
    const page = await store.read(streamId, from, pageSize);
    yield* page;
    if (page.length < pageSize) return;
    from += page.length;
  }
}
