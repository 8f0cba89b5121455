import { tokenKey } from '@metrology-ledger/ledger';
import { emaidEmspOf, tokenMismatch, type SessionOwner } from '../domain/sessionOwner';
import type { SessionToken, SessionView } from '../domain/SessionView';
import type { RegisteredTokenView } from '../domain/tokenFacts';

/**
 * The SQL both read-model stores share (SQLite and PostgreSQL speak it alike; `?` placeholders, which
 * the PostgreSQL store numbers). A session row keeps its owner and token in columns beside the view's
 * JSON, so a token registered later, or a transaction's token learnt later, changes the rows it
 * concerns in one statement each: the work follows those sessions, never the whole model.
 */
export interface ReadModelTables {
  sessions: string;
  transactionTokens: string;
  tokens: string;
}

export type { RegisteredTokenView };

export interface TokenQuery {
  /** Only this eMSP's registered tokens. */
  emspId?: string;
  cursor?: string;
  limit: number;
}

export const SESSION_COLUMNS = 'body, emsp_id, emsp_source, token_uid, token_type, token_source';
const TOKEN_COLUMNS = 'uid, token_type, contract_id, emsp_id, status, changed_by, changed_at';

export interface SessionRow {
  body: string;
  emsp_id: string | null;
  emsp_source: string | null;
  token_uid: string | null;
  token_type: string | null;
  token_source: string | null;
}

/** Columns added to sessions since the first version (an older model is extended in place, then caught up). */
export const ADDED_SESSION_COLUMNS = ['emsp_source', 'token_uid', 'token_type', 'token_source', 'token_key', 'emaid_emsp'];

export function createStatements(t: ReadModelTables, serial: string): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${t.transactionTokens} (station_id TEXT NOT NULL, transaction_id TEXT NOT NULL, uid TEXT NOT NULL, type TEXT, PRIMARY KEY (station_id, transaction_id))`,
    `CREATE TABLE IF NOT EXISTS ${t.tokens} (seq ${serial}, token_key TEXT NOT NULL UNIQUE, ${TOKEN_COLUMNS.split(', ')
      .map((c) => `${c} TEXT`)
      .join(', ')})`,
  ];
}

/** The sessions' secondary indexes, the same for both stores: by eMSP in page order, by transaction, a station's sessions in export order, by token, by station and transaction. */
export function indexStatements(t: ReadModelTables, prefix: string): string[] {
  return [
    `CREATE INDEX IF NOT EXISTS ${prefix}sessions_emsp ON ${t.sessions} (emsp_id, seq)`,
    `CREATE INDEX IF NOT EXISTS ${prefix}sessions_tx ON ${t.sessions} (transaction_id)`,
    `CREATE INDEX IF NOT EXISTS ${prefix}sessions_station ON ${t.sessions} (station_id, stream_id, length(counter), counter)`,
    `CREATE INDEX IF NOT EXISTS ${prefix}sessions_token ON ${t.sessions} (token_key)`,
    `CREATE INDEX IF NOT EXISTS ${prefix}sessions_station_tx ON ${t.sessions} (station_id, transaction_id)`,
  ];
}

/** The columns `upsertSession` writes, in the order of `sessionValues`. */
export const UPSERT_SESSION_COLUMNS = 'stream_id, counter, station_id, emsp_id, emsp_source, transaction_id, end_time, token_uid, token_type, token_source, token_key, emaid_emsp, body';

export function ownershipSql(t: ReadModelTables) {
  return {
    upsertSession: `INSERT INTO ${t.sessions} (${UPSERT_SESSION_COLUMNS})
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (stream_id, counter) DO UPDATE SET body = excluded.body, emsp_id = excluded.emsp_id, emsp_source = excluded.emsp_source, transaction_id = excluded.transaction_id,
        end_time = excluded.end_time, token_uid = excluded.token_uid, token_type = excluded.token_type, token_source = excluded.token_source, token_key = excluded.token_key, emaid_emsp = excluded.emaid_emsp`,
    transactionToken: `SELECT uid, type FROM ${t.transactionTokens} WHERE station_id = ? AND transaction_id = ?`,
    addTransactionToken: `INSERT INTO ${t.transactionTokens} (station_id, transaction_id, uid, type) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING`,
    setSessionToken: `UPDATE ${t.sessions} SET token_uid = ?, token_type = ?, token_source = 'ocpp', token_key = ?, emaid_emsp = ? WHERE station_id = ? AND transaction_id = ?`,
    setTransactionOwner: `UPDATE ${t.sessions} SET emsp_id = ?, emsp_source = ? WHERE station_id = ? AND transaction_id = ? AND (emsp_source IS NULL OR emsp_source <> 'message')`,
    saveToken: `INSERT INTO ${t.tokens} (token_key, ${TOKEN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (token_key) DO UPDATE SET uid = excluded.uid, token_type = excluded.token_type, contract_id = excluded.contract_id, emsp_id = excluded.emsp_id,
        status = excluded.status, changed_by = excluded.changed_by, changed_at = excluded.changed_at`,
    ownerRegistered: `UPDATE ${t.sessions} SET emsp_id = ?, emsp_source = 'registry' WHERE token_key = ? AND (emsp_source IS NULL OR emsp_source <> 'message')`,
    ownerWithdrawn: `UPDATE ${t.sessions} SET emsp_id = emaid_emsp, emsp_source = CASE WHEN emaid_emsp IS NULL THEN NULL ELSE 'emaid' END WHERE token_key = ? AND emsp_source = 'registry'`,
    registeredToken: `SELECT ${TOKEN_COLUMNS} FROM ${t.tokens} WHERE token_key = ? AND status = 'registered'`,
    /** `keys`: the store's way of naming a list parameter (SQLite `json_each`, PostgreSQL `ANY`). */
    registeredTokens: (keys: string) => `SELECT token_key, ${TOKEN_COLUMNS} FROM ${t.tokens} WHERE token_key ${keys} AND status = 'registered'`,
    tokensPage: (own: boolean) => `SELECT seq, ${TOKEN_COLUMNS} FROM ${t.tokens} WHERE seq > ?${own ? " AND emsp_id = ? AND status = 'registered'" : ''} ORDER BY seq LIMIT ?`,
  };
}

const NO_IDENTIFICATION: SessionView['identification'] = { status: null, type: null, data: null };
const IDENTIFICATION_KEY = ',"identification":';

/**
 * The stored JSON of a view: without what the row's columns hold (`emspId`, `emspSource`, `token`)
 * or derive (`tokenMismatch`), and with `identification` last, so an export line is the stored text
 * with the columns appended (`sessionLineFromRow`), never parsed and written again.
 */
export function storedBody(v: SessionView): string {
  // The object `{ ...rest, identification }` of a destructuring that leaves those five keys out, copied
  // key by key in the same order (a view is a plain object: its enumerable keys are its own): an object
  // rest pattern is slower by a third of this function, and a rebuild writes a million of these.
  const stored: Record<string, unknown> = {};
  for (const key in v) {
    if (key !== 'emspId' && key !== 'emspSource' && key !== 'token' && key !== 'tokenMismatch' && key !== 'identification') stored[key] = v[key as keyof SessionView];
  }
  stored.identification = v.identification ?? NO_IDENTIFICATION;
  return JSON.stringify(stored);
}

/** The values of `upsertSession` for a view. */
export function sessionValues(v: SessionView): unknown[] {
  const token = v.token ?? null;
  return [v.streamId, v.counter, v.stationId, v.emspId, v.emspSource ?? null, v.transactionId, v.endTime, token?.uid ?? null, token?.type ?? null, token?.source ?? null, token ? tokenKey(token.uid) : null, emaidEmspOf(token), storedBody(v)];
}

/** The views of a batch with one per (stream, counter), the later one kept (what upserting them one by one leaves). */
export function lastPerSession(views: readonly SessionView[]): SessionView[] {
  const byKey = new Map<string, SessionView>();
  for (const v of views) {
    const key = `${v.streamId}\n${v.counter}`;
    byKey.delete(key);
    byKey.set(key, v);
  }
  return [...byKey.values()];
}

/** The values of `setSessionToken` and `setTransactionOwner`. */
export function transactionTokenValues(stationId: string, transactionId: string, token: SessionToken, owner: SessionOwner): { token: unknown[]; owner: unknown[] } {
  return { token: [token.uid, token.type, tokenKey(token.uid), emaidEmspOf(token), stationId, transactionId], owner: [owner.emspId, owner.emspSource, stationId, transactionId] };
}

export function tokenValues(t: RegisteredTokenView): unknown[] {
  return [tokenKey(t.uid), t.uid, t.tokenType, t.contractId, t.emspId, t.status, t.changedBy, t.changedAt];
}

export function tokenFromRow(r: Record<string, string | null>): RegisteredTokenView {
  return { uid: r.uid!, tokenType: r.token_type!, contractId: r.contract_id, emspId: r.emsp_id!, status: r.status as RegisteredTokenView['status'], changedBy: r.changed_by!, changedAt: r.changed_at! };
}

function tokenOfRow(r: SessionRow): SessionToken | null {
  return r.token_uid !== null ? { uid: r.token_uid, type: r.token_type, source: r.token_source === 'ocpp' ? 'ocpp' : 'ocmf' } : null;
}

/** The view of a row: its JSON with the owner and token columns over it, and the token mismatch, if any. */
export function sessionFromRow(r: SessionRow): SessionView {
  const v = JSON.parse(r.body) as SessionView;
  const token = tokenOfRow(r);
  const identification = v.identification ?? NO_IDENTIFICATION;
  return { ...v, emspId: r.emsp_id, emspSource: (r.emsp_source as SessionView['emspSource']) ?? null, token, tokenMismatch: tokenMismatch(token, identification) };
}

/** What follows the stored text's last `}` in a line: the owner and token columns, the mismatch, `}` and the line feed. */
function lineTail(r: SessionRow, identification: () => SessionView['identification']): string {
  const token = tokenOfRow(r);
  const mismatch = token?.source === 'ocpp' ? tokenMismatch(token, identification()) : null;
  return `,"emspId":${JSON.stringify(r.emsp_id)},"emspSource":${JSON.stringify(r.emsp_source ?? null)},"token":${JSON.stringify(token)},"tokenMismatch":${JSON.stringify(mismatch)}}\n`;
}

/**
 * What follows the last `,"identification":` in a text `storedBody` wrote: the identification object
 * (its three fields, in order, each null, a boolean or a JSON string) and the closing brace. A text
 * stored by an earlier version (the whole view) has more keys after it (`cumulatedLoss`,
 * `timeStatus`) and fails this test, so it is parsed whole; the test reads only that short end.
 */
const STORED_TAIL = /\{"status":(?:true|false|null),"type":(?:null|"(?:[^"\\]|\\.)*"),"data":(?:null|"(?:[^"\\]|\\.)*")\}\}$/y;

/** Where the identification object starts in a text `storedBody` wrote, or -1 (another version's text: parse it whole). */
function storedTailAt(body: string): number {
  const at = body.lastIndexOf(IDENTIFICATION_KEY);
  if (at === -1) return -1;
  STORED_TAIL.lastIndex = at + IDENTIFICATION_KEY.length;
  return STORED_TAIL.test(body) ? at + IDENTIFICATION_KEY.length : -1;
}

/**
 * The view of a row as one NDJSON line, equal to `sessionFromRow`'s as JSON (key order aside): the
 * stored text with the owner and token columns and the mismatch appended. Only the small
 * `identification` object is parsed, and only when an OCPP token needs comparing with it. A row
 * stored by an earlier version (its text holds the columns' fields) is parsed and written whole.
 * (The stored text is JSON.stringify output: a `"` inside a string is always escaped, so
 * `,"identification":`, its last key, can only be found as that key.)
 */
export function sessionLineFromRow(r: SessionRow): string {
  const body = r.body;
  const from = storedTailAt(body);
  if (from === -1) return `${JSON.stringify(sessionFromRow(r))}\n`;
  return `${body.slice(0, -1)}${lineTail(r, () => JSON.parse(body.slice(from, -1)) as SessionView['identification'])}`;
}

/**
 * A chunk of rows as NDJSON lines, written into one buffer: each stored text is encoded into it once
 * without its closing `}`, followed by its tail
 * (`lineTail`); a row stored by an earlier version is written as `sessionLineFromRow` writes it. One
 * buffer per chunk is cheaper than a string per line joined and encoded again when written.
 */
export function sessionLines(rows: readonly SessionRow[]): Buffer {
  const heads: string[] = new Array(rows.length);
  const tails: string[] = new Array(rows.length);
  let size = 0;
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i];
    const body = r.body;
    const from = storedTailAt(body);
    if (from === -1) {
      heads[i] = `${JSON.stringify(sessionFromRow(r))}\n`;
      tails[i] = '';
    } else {
      heads[i] = body;
      tails[i] = lineTail(r, () => JSON.parse(body.slice(from, -1)) as SessionView['identification']);
    }
    size += Buffer.byteLength(heads[i]) + Buffer.byteLength(tails[i]);
  }
  const out = Buffer.allocUnsafe(size);
  let o = 0;
  for (let i = 0; i < rows.length; i++) {
    const head = heads[i];
    const tail = tails[i];
    // A stored text is written without its last character, the `}` its tail closes again.
    const headBytes = out.write(head, o);
    o += tail === '' ? headBytes : headBytes - 1;
    o += out.write(tail, o);
  }
  return out.subarray(0, o);
}
