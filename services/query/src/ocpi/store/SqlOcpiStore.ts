import type { Cdr } from '../domain/Cdr';
import type { OcpiToken } from '../domain/OcpiToken';
import type { WithholdReason } from '../domain/buildCdr';
import type { StationLocation } from '../domain/StationLocation';
import type { CdrRoute, Credit, OcpiParty, OcpiStore, RelayedParty, StoredCdr, Withheld } from './OcpiStore';
import { isUniqueViolation, type SqlRunner } from './SqlRunner';

/** The OCPI store on SQLite or PostgreSQL: one SQL text for both, `?` placeholders, keys and ISO times as text. */
export class SqlOcpiStore implements OcpiStore {
  private ready: Promise<void> | undefined;

  constructor(private readonly db: SqlRunner) {}

  init(): Promise<void> {
    this.ready ??= this.create();
    return this.ready;
  }

  private async create(): Promise<void> {
    const serial = this.db.dialect === 'postgres' ? 'BIGSERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
    await this.db.exec(`
      CREATE TABLE IF NOT EXISTS ocpi_parties (
        emsp_id TEXT PRIMARY KEY, country_code TEXT NOT NULL, party_id TEXT NOT NULL, name TEXT NOT NULL, state TEXT NOT NULL,
        token_a TEXT, token_c TEXT, their_token TEXT, their_versions_url TEXT, their_cdrs_url TEXT, their_credentials TEXT, registered_at TEXT,
        UNIQUE (country_code, party_id));
      CREATE TABLE IF NOT EXISTS ocpi_locations (station_id TEXT PRIMARY KEY, body TEXT NOT NULL);
      CREATE TABLE IF NOT EXISTS ocpi_cdrs (
        seq ${serial}, id TEXT NOT NULL UNIQUE, emsp_id TEXT NOT NULL, stream_id TEXT NOT NULL, counter TEXT NOT NULL,
        last_updated TEXT NOT NULL, body TEXT NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL,
        next_attempt_at TEXT, last_error TEXT, delivered_at TEXT, location TEXT);
      CREATE INDEX IF NOT EXISTS ocpi_cdrs_emsp ON ocpi_cdrs (emsp_id, seq);
      CREATE INDEX IF NOT EXISTS ocpi_cdrs_due ON ocpi_cdrs (state, next_attempt_at);
      CREATE TABLE IF NOT EXISTS ocpi_withheld (
        stream_id TEXT NOT NULL, counter TEXT NOT NULL, emsp_id TEXT NOT NULL, station_id TEXT NOT NULL, transaction_id TEXT,
        reason TEXT NOT NULL, message TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (stream_id, counter));
      CREATE TABLE IF NOT EXISTS ocpi_relays (
        country_code TEXT NOT NULL, party_id TEXT NOT NULL, emsp_id TEXT NOT NULL UNIQUE, hub_id TEXT NOT NULL, PRIMARY KEY (country_code, party_id));
      CREATE TABLE IF NOT EXISTS ocpi_tokens (
        country_code TEXT NOT NULL, party_id TEXT NOT NULL, uid_key TEXT NOT NULL, type TEXT NOT NULL, emsp_id TEXT NOT NULL,
        last_updated TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (country_code, party_id, uid_key, type));
      CREATE TABLE IF NOT EXISTS ocpi_credits (
        seq ${serial}, credit_id TEXT NOT NULL UNIQUE, cdr_id TEXT NOT NULL UNIQUE, emsp_id TEXT NOT NULL, stream_id TEXT NOT NULL, counter TEXT NOT NULL,
        station_id TEXT NOT NULL, transaction_id TEXT, reason TEXT NOT NULL, message TEXT NOT NULL, at TEXT NOT NULL);`);
    // Columns added since the first version: a store made by it gets them at start (null: an eMSP, a direct CDR).
    await this.addColumn('ocpi_parties', 'role');
    await this.addColumn('ocpi_cdrs', 'via');
    await this.db.exec('CREATE INDEX IF NOT EXISTS ocpi_cdrs_via ON ocpi_cdrs (via, seq)');
  }

  private async addColumn(table: string, column: string): Promise<void> {
    if (this.db.dialect === 'postgres') return this.db.exec(`ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS ${column} TEXT`);
    const present = await this.db.all<{ name: string }>(`SELECT name FROM pragma_table_info('${table}')`);
    if (!present.some((c) => c.name === column)) await this.db.exec(`ALTER TABLE ${table} ADD COLUMN ${column} TEXT`);
  }

  async createParty(p: Parameters<OcpiStore['createParty']>[0]): Promise<'created' | 'exists'> {
    await this.init();
    const role = p.role ?? 'EMSP';
    const relays = role === 'HUB' ? (p.relays ?? []) : [];
    const existing = await this.db.all<{ emsp_id: string }>('SELECT emsp_id FROM ocpi_parties WHERE emsp_id = ? OR (country_code = ? AND party_id = ?)', [p.emspId, p.countryCode, p.partyId]);
    if (existing.length > 0) return 'exists';
    // One eMSP id ↔ one OCPI party, whether connected directly or relayed: a party bound otherwise anywhere is refused.
    const bound = async (emspId: string, countryCode: string, partyId: string, self: 'party' | 'relay') => {
      const clash = (rows: { emsp_id: string; country_code: string; party_id: string }[]) =>
        rows.some((r) => r.emsp_id !== emspId || r.country_code !== countryCode || r.party_id !== partyId);
      const relayed = await this.db.all<{ emsp_id: string; country_code: string; party_id: string }>(
        'SELECT emsp_id, country_code, party_id FROM ocpi_relays WHERE emsp_id = ? OR (country_code = ? AND party_id = ?)',
        [emspId, countryCode, partyId],
      );
      if (self === 'relay') {
        if (relayed.length > 0) return true; // relayed by another hub already
        const direct = await this.db.all<{ emsp_id: string; country_code: string; party_id: string; role: string | null }>(
          'SELECT emsp_id, country_code, party_id, role FROM ocpi_parties WHERE emsp_id = ? OR (country_code = ? AND party_id = ?)',
          [emspId, countryCode, partyId],
        );
        return direct.some((d) => d.role === 'HUB') || clash(direct);
      }
      return role === 'HUB' ? relayed.length > 0 : clash(relayed);
    };
    if (await bound(p.emspId, p.countryCode, p.partyId, 'party')) return 'exists';
    const seen = new Set<string>();
    for (const r of relays) {
      const keys = [`id:${r.emspId}`, `party:${r.countryCode}*${r.partyId}`];
      if (keys.some((k) => seen.has(k)) || (r.countryCode === p.countryCode && r.partyId === p.partyId) || r.emspId === p.emspId) return 'exists';
      keys.forEach((k) => seen.add(k));
      if (await bound(r.emspId, r.countryCode, r.partyId, 'relay')) return 'exists';
    }
    // The party and its relays in one transaction: a concurrent registration that passed the same checks
    // meets the tables' unique keys, and then nothing of this one is written ('exists', never half a hub).
    try {
      await this.db.runAtomically([
        {
          sql: `INSERT INTO ocpi_parties (emsp_id, country_code, party_id, name, state, token_a, role) VALUES (?, ?, ?, ?, 'awaiting-registration', ?, ?)`,
          args: [p.emspId, p.countryCode, p.partyId, p.name, p.tokenADigest, role],
        },
        ...relays.map((r) => ({ sql: 'INSERT INTO ocpi_relays (country_code, party_id, emsp_id, hub_id) VALUES (?, ?, ?, ?)', args: [r.countryCode, r.partyId, r.emspId, p.emspId] })),
      ]);
    } catch (e) {
      if (isUniqueViolation(e)) return 'exists';
      throw e;
    }
    return 'created';
  }

  async relays(hubId: string): Promise<RelayedParty[]> {
    await this.init();
    const rows = await this.db.all<{ hub_id: string; emsp_id: string; country_code: string; party_id: string }>('SELECT * FROM ocpi_relays WHERE hub_id = ? ORDER BY country_code, party_id', [hubId]);
    return rows.map((r) => ({ hubId: r.hub_id, emspId: r.emsp_id, countryCode: r.country_code, partyId: r.party_id }));
  }

  async putToken(emspId: string, t: OcpiToken): Promise<void> {
    await this.init();
    await this.db.run(
      `INSERT INTO ocpi_tokens (country_code, party_id, uid_key, type, emsp_id, last_updated, body) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (country_code, party_id, uid_key, type) DO UPDATE SET emsp_id = excluded.emsp_id, last_updated = excluded.last_updated, body = excluded.body`,
      [t.country_code, t.party_id, t.uid.toUpperCase(), t.type, emspId, t.last_updated, JSON.stringify(t)],
    );
  }

  async token(countryCode: string, partyId: string, uid: string, type: string): Promise<OcpiToken | undefined> {
    await this.init();
    const [row] = await this.db.all<{ body: string }>('SELECT body FROM ocpi_tokens WHERE country_code = ? AND party_id = ? AND uid_key = ? AND type = ?', [
      countryCode.toUpperCase(),
      partyId.toUpperCase(),
      uid.toUpperCase(),
      type,
    ]);
    return row ? JSON.parse(row.body) : undefined;
  }

  async partyByToken(digest: string): Promise<{ party: OcpiParty; token: 'A' | 'C' } | undefined> {
    await this.init();
    const [row] = await this.db.all<PartyRow>('SELECT * FROM ocpi_parties WHERE token_a = ? OR token_c = ?', [digest, digest]);
    return row ? { party: party(row), token: row.token_c === digest ? 'C' : 'A' } : undefined;
  }

  async party(emspId: string): Promise<OcpiParty | undefined> {
    await this.init();
    const [row] = await this.db.all<PartyRow>('SELECT * FROM ocpi_parties WHERE emsp_id = ?', [emspId]);
    return row ? party(row) : undefined;
  }

  async parties(): Promise<OcpiParty[]> {
    await this.init();
    return (await this.db.all<PartyRow>('SELECT * FROM ocpi_parties ORDER BY emsp_id')).map(party);
  }

  async register(emspId: string, r: Parameters<OcpiStore['register']>[1], at: string): Promise<void> {
    await this.init();
    await this.db.run(
      `UPDATE ocpi_parties SET state = 'registered', token_a = NULL, token_c = ?, their_token = ?, their_versions_url = ?, their_cdrs_url = ?, their_credentials = ?, registered_at = ? WHERE emsp_id = ?`,
      [r.tokenCDigest, r.theirToken, r.theirVersionsUrl, r.theirCdrsUrl, JSON.stringify(r.theirCredentials), at, emspId],
    );
  }

  async unregister(emspId: string): Promise<void> {
    await this.init();
    await this.db.run(`UPDATE ocpi_parties SET state = 'unregistered', token_a = NULL, token_c = NULL, their_token = NULL WHERE emsp_id = ?`, [emspId]);
  }

  async putLocation(stationId: string, l: StationLocation): Promise<void> {
    await this.init();
    await this.db.run('INSERT INTO ocpi_locations (station_id, body) VALUES (?, ?) ON CONFLICT (station_id) DO UPDATE SET body = excluded.body', [stationId, JSON.stringify(l)]);
  }

  async location(stationId: string): Promise<StationLocation | undefined> {
    await this.init();
    const [row] = await this.db.all<{ body: string }>('SELECT body FROM ocpi_locations WHERE station_id = ?', [stationId]);
    return row ? JSON.parse(row.body) : undefined;
  }

  async addCdr(c: { cdr: Cdr; emspId: string; streamId: string; counter: string; via?: string | null }): Promise<boolean> {
    await this.init();
    // The CDR id is the session's: a session has one CDR, over one route, whichever route asks first.
    const changed = await this.db.run(
      `INSERT INTO ocpi_cdrs (id, emsp_id, stream_id, counter, last_updated, body, state, attempts, next_attempt_at, via) VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?)
       ON CONFLICT (id) DO NOTHING`,
      [c.cdr.id, c.emspId, c.streamId, c.counter, c.cdr.last_updated, JSON.stringify(c.cdr), c.cdr.last_updated, c.via ?? null],
    );
    return changed === 1;
  }

  async cdr(id: string): Promise<StoredCdr | undefined> {
    await this.init();
    const [row] = await this.db.all<CdrRow>('SELECT * FROM ocpi_cdrs WHERE id = ?', [id]);
    return row ? stored(row) : undefined;
  }

  async cdrPage(route: CdrRoute, q: { offset: number; limit: number; from?: string; to?: string }): Promise<{ items: Cdr[]; total: number }> {
    await this.init();
    const who = route.via === null ? 'via IS NULL AND emsp_id = ?' : route.emspId === undefined ? 'via = ?' : 'via = ? AND emsp_id = ?';
    const whoArgs = route.via === null ? [route.emspId ?? null] : route.emspId === undefined ? [route.via] : [route.via, route.emspId];
    const where = `${who} AND state <> 'withdrawn' AND (CAST(? AS TEXT) IS NULL OR last_updated >= ?) AND (CAST(? AS TEXT) IS NULL OR last_updated < ?)`;
    const args = [...whoArgs, q.from ?? null, q.from ?? null, q.to ?? null, q.to ?? null];
    const [{ n }] = await this.db.all<{ n: number | string }>(`SELECT count(*) AS n FROM ocpi_cdrs WHERE ${where}`, args);
    const rows = await this.db.all<{ body: string }>(`SELECT body FROM ocpi_cdrs WHERE ${where} ORDER BY seq LIMIT ? OFFSET ?`, [...args, q.limit, q.offset]);
    return { items: rows.map((r) => JSON.parse(r.body)), total: Number(n) };
  }

  async due(now: string, limit: number): Promise<StoredCdr[]> {
    await this.init();
    return (await this.db.all<CdrRow>(`SELECT * FROM ocpi_cdrs WHERE state = 'pending' AND next_attempt_at <= ? ORDER BY next_attempt_at, seq LIMIT ?`, [now, limit])).map(stored);
  }

  async claim(id: string, expectedNextAttemptAt: string, leaseUntil: string): Promise<boolean> {
    await this.init();
    return (await this.db.run(`UPDATE ocpi_cdrs SET next_attempt_at = ? WHERE id = ? AND state = 'pending' AND next_attempt_at = ?`, [leaseUntil, id, expectedNextAttemptAt])) === 1;
  }

  async delivered(id: string, at: string, location: string | null): Promise<void> {
    await this.init();
    await this.db.run(`UPDATE ocpi_cdrs SET state = 'delivered', attempts = attempts + 1, next_attempt_at = NULL, last_error = NULL, delivered_at = ?, location = ? WHERE id = ?`, [at, location, id]);
  }

  async failed(id: string, attempts: number, nextAttemptAt: string, error: string): Promise<void> {
    await this.init();
    await this.db.run(`UPDATE ocpi_cdrs SET attempts = ?, next_attempt_at = ?, last_error = ? WHERE id = ? AND state = 'pending'`, [attempts, nextAttemptAt, error, id]);
  }

  async withdraw(id: string, error: string): Promise<void> {
    await this.init();
    await this.db.run(`UPDATE ocpi_cdrs SET state = 'withdrawn', next_attempt_at = NULL, last_error = ? WHERE id = ? AND state = 'pending'`, [error, id]);
  }

  async retryNow(emspId: string, now: string): Promise<number> {
    await this.init();
    // A hub's backlog is the CDRs routed through it; an eMSP's, those sent to it directly.
    return this.db.run(`UPDATE ocpi_cdrs SET next_attempt_at = ? WHERE (via = ? OR (via IS NULL AND emsp_id = ?)) AND state = 'pending' AND next_attempt_at > ?`, [now, emspId, emspId, now]);
  }

  async deliveries(): Promise<{ state: string; count: number }[]> {
    await this.init();
    return (await this.db.all<{ state: string; n: number | string }>('SELECT state, count(*) AS n FROM ocpi_cdrs GROUP BY state ORDER BY state')).map((r) => ({ state: r.state, count: Number(r.n) }));
  }

  async addCredit(c: Parameters<OcpiStore['addCredit']>[0]): Promise<boolean> {
    await this.init();
    // The credit CDR first: should the process stop in between, deciding the session again adds the credit record (both are idempotent).
    const added = await this.addCdr({ cdr: c.credit, emspId: c.original.emspId, streamId: c.original.streamId, counter: c.original.counter, via: c.original.via });
    const recorded = await this.db.run(
      `INSERT INTO ocpi_credits (credit_id, cdr_id, emsp_id, stream_id, counter, station_id, transaction_id, reason, message, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (cdr_id) DO NOTHING`,
      [c.credit.id, c.original.cdr.id, c.original.emspId, c.original.streamId, c.original.counter, c.stationId, c.transactionId, c.reason, c.message, c.at],
    );
    return added || recorded === 1;
  }

  async credits(q: { after?: number; limit: number }): Promise<(Credit & { seq: number })[]> {
    await this.init();
    const rows = await this.db.all<CreditRow>(
      `SELECT k.seq, k.credit_id, k.cdr_id, k.emsp_id, k.stream_id, k.counter, k.station_id, k.transaction_id, k.reason, k.message, k.at,
              c.state, c.attempts, c.last_error, c.delivered_at
       FROM ocpi_credits k JOIN ocpi_cdrs c ON c.id = k.credit_id WHERE k.seq > ? ORDER BY k.seq LIMIT ?`,
      [q.after ?? 0, q.limit],
    );
    return rows.map((r) => ({
      seq: Number(r.seq),
      creditId: r.credit_id,
      cdrId: r.cdr_id,
      emspId: r.emsp_id,
      streamId: r.stream_id,
      counter: r.counter,
      stationId: r.station_id,
      transactionId: r.transaction_id,
      reason: r.reason as WithholdReason,
      message: r.message,
      at: r.at,
      state: r.state,
      attempts: Number(r.attempts),
      lastError: r.last_error,
      deliveredAt: r.delivered_at,
    }));
  }

  async withhold(w: Withheld): Promise<void> {
    await this.init();
    await this.db.run(
      `INSERT INTO ocpi_withheld (stream_id, counter, emsp_id, station_id, transaction_id, reason, message, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (stream_id, counter) DO UPDATE SET reason = excluded.reason, message = excluded.message, at = excluded.at, emsp_id = excluded.emsp_id`,
      [w.streamId, w.counter, w.emspId, w.stationId, w.transactionId, w.reason, w.message, w.at],
    );
  }

  async release(streamId: string, counter: string): Promise<void> {
    await this.init();
    await this.db.run('DELETE FROM ocpi_withheld WHERE stream_id = ? AND counter = ?', [streamId, counter]);
  }

  async withheld(q: { afterKey?: string; limit: number; reasons?: readonly WithholdReason[]; located?: boolean }): Promise<Withheld[]> {
    await this.init();
    const [stream, counter] = q.afterKey ? splitKey(q.afterKey) : ['', ''];
    const reasons = (q.reasons && q.reasons.length > 0 ? ` AND reason IN (${q.reasons.map(() => '?').join(', ')})` : '') + (q.located ? ' AND station_id IN (SELECT station_id FROM ocpi_locations)' : '');
    const rows = await this.db.all<WithheldRow>(
      `SELECT * FROM ocpi_withheld WHERE (stream_id > ? OR (stream_id = ? AND counter > ?))${reasons} ORDER BY stream_id, counter LIMIT ?`,
      [stream, stream, counter, ...(q.reasons ?? []), q.limit],
    );
    return rows.map((r) => ({ streamId: r.stream_id, counter: r.counter, emspId: r.emsp_id, stationId: r.station_id, transactionId: r.transaction_id, reason: r.reason as WithholdReason, message: r.message, at: r.at }));
  }

  async close(): Promise<void> {
    await this.db.close();
  }
}

/** The paging key of a withheld session (opaque to callers). */
export function withheldKey(w: { streamId: string; counter: string }): string {
  return Buffer.from(JSON.stringify([w.streamId, w.counter])).toString('base64url');
}

function splitKey(key: string): [string, string] {
  try {
    const v = JSON.parse(Buffer.from(key, 'base64url').toString('utf8'));
    if (Array.isArray(v) && typeof v[0] === 'string' && typeof v[1] === 'string') return [v[0], v[1]];
  } catch {
    // falls through
  }
  throw new InvalidWithheldCursor();
}

export class InvalidWithheldCursor extends Error {
  override readonly name = 'InvalidWithheldCursor';
  constructor() {
    super('this cursor was not issued by this list: ask again without "after"');
  }
}

interface PartyRow {
  emsp_id: string;
  country_code: string;
  party_id: string;
  name: string;
  state: OcpiParty['state'];
  token_a: string | null;
  token_c: string | null;
  their_token: string | null;
  their_versions_url: string | null;
  their_cdrs_url: string | null;
  their_credentials: string | null;
  registered_at: string | null;
  role: string | null;
}

function party(r: PartyRow): OcpiParty {
  return {
    emspId: r.emsp_id,
    role: r.role === 'HUB' ? 'HUB' : 'EMSP',
    countryCode: r.country_code,
    partyId: r.party_id,
    name: r.name,
    state: r.state,
    theirToken: r.their_token,
    theirVersionsUrl: r.their_versions_url,
    theirCdrsUrl: r.their_cdrs_url,
    theirCredentials: r.their_credentials ? JSON.parse(r.their_credentials) : null,
    registeredAt: r.registered_at,
  };
}

interface CdrRow {
  id: string;
  emsp_id: string;
  via: string | null;
  stream_id: string;
  counter: string;
  body: string;
  state: StoredCdr['state'];
  attempts: number;
  next_attempt_at: string | null;
  last_error: string | null;
  delivered_at: string | null;
  location: string | null;
}

function stored(r: CdrRow): StoredCdr {
  return {
    cdr: JSON.parse(r.body),
    emspId: r.emsp_id,
    via: r.via ?? null,
    streamId: r.stream_id,
    counter: r.counter,
    state: r.state,
    attempts: Number(r.attempts),
    nextAttemptAt: r.next_attempt_at,
    lastError: r.last_error,
    deliveredAt: r.delivered_at,
    location: r.location,
  };
}

interface CreditRow {
  seq: number | string;
  credit_id: string;
  cdr_id: string;
  emsp_id: string;
  stream_id: string;
  counter: string;
  station_id: string;
  transaction_id: string | null;
  reason: string;
  message: string;
  at: string;
  state: StoredCdr['state'];
  attempts: number | string;
  last_error: string | null;
  delivered_at: string | null;
}

interface WithheldRow {
  stream_id: string;
  counter: string;
  emsp_id: string;
  station_id: string;
  transaction_id: string | null;
  reason: string;
  message: string;
  at: string;
}
