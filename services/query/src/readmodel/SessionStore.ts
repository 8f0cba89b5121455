import type { SessionOwner } from '../domain/sessionOwner';
import type { SessionToken, SessionView } from '../domain/SessionView';
import type { RegisteredTokenView, SessionRow, TokenQuery } from './sessionRows';
import { InvalidCursor } from '../paging/InvalidCursor';

export interface SessionQuery {
  emspId?: string;
  /** `none`: only sessions no eMSP owns yet (operators, auditors). */
  owner?: 'none';
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

export interface TokenPage {
  items: RegisteredTokenView[];
  nextCursor: string | null;
}

/**
 * The sessions read model port: SQLite in the embedded default, PostgreSQL in production; both are
 * rebuilt from the ledger at any time. Pages follow a stable insertion sequence (the cursor), so a
 * page never repeats or skips a session while the model grows.
 */
export interface SessionStore {
  upsert(v: SessionView): Promise<void>;
  /** Upserts many views in one database transaction (a projector's batch); a later view of the same (stream, counter) wins. */
  upsertMany(views: readonly SessionView[]): Promise<void>;
  get(streamId: string, counter: string): Promise<SessionView | undefined>;
  byTransaction(transactionId: string, emspId?: string): Promise<SessionView[]>;
  page(q: SessionQuery): Promise<SessionPage>;
  /** A station's sessions in a period, in ledger order (key stream, then counter), read in chunks. */
  station(stationId: string, from?: string, to?: string): AsyncGenerator<SessionView>;
  /** The same as stored rows, a chunk at a time (`sessionFromRow` / `sessionLines` read them): what exports write from. */
  stationRows(stationId: string, from?: string, to?: string): AsyncGenerator<SessionRow[]>;
  count(): Promise<number>;
  /** The token of a station's transaction, as its OCPP frames named it. */
  transactionToken(stationId: string, transactionId: string): Promise<SessionToken | undefined>;
  /** The tokens of several transactions of a station (one read), by transaction id; those without one are absent. */
  transactionTokens(stationId: string, transactionIds: readonly string[]): Promise<Map<string, SessionToken>>;
  /** Keeps the first token named for a transaction; false when one was known already. */
  addTransactionToken(stationId: string, transactionId: string, token: SessionToken): Promise<boolean>;
  /** Gives the transaction's sessions its token, and the owner to those no message names one for. */
  assignTransactionToken(stationId: string, transactionId: string, token: SessionToken, owner: SessionOwner): Promise<void>;
  /** A registered token (not withdrawn) by `tokenKey`. */
  registeredToken(key: string): Promise<RegisteredTokenView | undefined>;
  /** Registered tokens (not withdrawn) by `tokenKey`, several in one read; unknown keys are absent. */
  registeredTokens(keys: readonly string[]): Promise<Map<string, RegisteredTokenView>>;
  /** Keeps a token's latest registration or withdrawal and moves the sessions of the token to its owner (or back to none, or the EMAID's). */
  saveToken(token: RegisteredTokenView): Promise<void>;
  /** The registry, in registration order; with `emspId`, that eMSP's registered tokens only. */
  tokens(q: TokenQuery): Promise<TokenPage>;
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
