import type { SessionView } from '../domain/SessionView';
import { InvalidCursor } from '../paging/InvalidCursor';

export interface SessionQuery {
  emspId?: string;
  stationId?: string;
  /** ISO times: sessions whose end reading lies in [from, to). */
  from?: string;
  to?: string;
  /** Opaque cursor from the previous page. */
  cursor?: string;
  limit: number;
}

export interface SessionPage {
  items: SessionView[];
  nextCursor: string | null;
  /** A cursor past the last item of this page, even the final one (null when the page is empty and no cursor was given): for followers that come back for sessions added later. */
  endCursor: string | null;
}

/**
 * The sessions read model port: SQLite in the embedded default, PostgreSQL in production; both are
 * rebuilt from the ledger at any time. Pages follow a stable insertion sequence (the cursor), so a
 * page never repeats or skips a session while the model grows.
 */
export interface SessionStore {
  upsert(v: SessionView): Promise<void>;
  get(streamId: string, counter: string): Promise<SessionView | undefined>;
  byTransaction(transactionId: string, emspId?: string): Promise<SessionView[]>;
  page(q: SessionQuery): Promise<SessionPage>;
  /** A station's sessions in a period, in ledger order (key stream, then counter), read in chunks. */
  station(stationId: string, from?: string, to?: string): AsyncGenerator<SessionView>;
  count(): Promise<number>;
  close(): Promise<void>;
}

/** Nest injection token for the port. */
export const SESSION_STORE = Symbol('SessionStore');

export function encodeCursor(seq: number): string {
  return Buffer.from(`s:${seq}`).toString('base64url');
}

/** A cursor that does not decode is the caller's mistake (InvalidCursor, answered 400), never a silent restart. */
export function decodeCursor(cursor: string): number {
  const m = /^s:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!m || !Number.isSafeInteger(Number(m[1]))) throw new InvalidCursor();
  return Number(m[1]);
}
