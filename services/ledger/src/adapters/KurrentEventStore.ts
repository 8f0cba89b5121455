import { jsonEvent, KurrentDBClient, NO_STREAM, START, FORWARDS, streamNameFilter, StreamNotFoundError, WrongExpectedVersionError } from '@kurrent/kurrentdb-client';
import type { AppendResult, EventStore, NewEvent, StoredEvent } from '../ports/EventStore';

/**
 * EventStoreDB / KurrentDB through its official Node client. Our revision maps to the stream
 * revision; the expected revision is the client's `streamState`. No server can be had on the
 * development machine: its contract tests run only when EVENTSTORE_URL is set.
 */
export class KurrentEventStore implements EventStore {
  readonly name = 'kurrentdb';
  private readonly client: KurrentDBClient;

  constructor(connectionString: string) {
    this.client = KurrentDBClient.connectionString`${connectionString}`;
  }

  async append(streamId: string, expectedRevision: number, events: readonly NewEvent[]): Promise<AppendResult> {
    try {
      const r = await this.client.appendToStream(
        streamId,
        events.map((e) => jsonEvent({ type: e.type, data: { dataText: e.dataText, recordedAt: e.recordedAt, prevHash: e.prevHash, hash: e.hash } })),
        { streamState: expectedRevision < 0 ? NO_STREAM : BigInt(expectedRevision) },
      );
      return { ok: true, revision: Number(r.nextExpectedRevision) };
    } catch (e) {
      if (e instanceof WrongExpectedVersionError) {
        const actual = typeof e.actualState === 'bigint' ? Number(e.actualState) : -1;
        return { ok: false, reason: 'wrong-expected-revision', expected: expectedRevision, actual };
      }
      throw e;
    }
  }

  async read(streamId: string, fromRevision = 0, limit = 1_000_000): Promise<StoredEvent[]> {
    const out: StoredEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId, { fromRevision: BigInt(fromRevision), direction: FORWARDS, maxCount: limit })) {
        const ev = resolved.event;
        if (!ev) continue;
        const d = ev.data as { dataText: string; recordedAt: string; prevHash: string; hash: string };
        out.push({ streamId, revision: Number(ev.revision), type: ev.type, dataText: d.dataText, recordedAt: d.recordedAt, prevHash: d.prevHash, hash: d.hash });
      }
    } catch (e) {
      if (e instanceof StreamNotFoundError) return [];
      throw e;
    }
    return out;
  }

  async streams(prefix: string): Promise<string[]> {
    const found = new Set<string>();
    for await (const resolved of this.client.readAll({ fromPosition: START, direction: FORWARDS, filter: streamNameFilter({ prefixes: [prefix] }) })) {
      if (resolved.event) found.add(resolved.event.streamId);
    }
    return [...found].sort();
  }

  async close(): Promise<void> {
    await this.client.dispose();
  }
}
