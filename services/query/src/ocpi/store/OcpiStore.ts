import type { Cdr } from '../domain/Cdr';
import type { Credentials } from '../domain/Credentials';
import type { OcpiToken } from '../domain/OcpiToken';
import type { StationLocation } from '../domain/StationLocation';
import type { WithholdReason } from '../domain/buildCdr';

/**
 * A party connected over OCPI: the operator creates it with token A; the credentials handshake binds
 * it. Role EMSP: an eMSP, `emspId` the eMSP id of its sessions. Role HUB: a roaming hub relaying the
 * parties the operator listed (`relays`); `emspId` is then the hub's own id here (no session has it).
 */
export interface OcpiParty {
  emspId: string;
  role: 'EMSP' | 'HUB';
  countryCode: string;
  partyId: string;
  name: string;
  state: 'awaiting-registration' | 'registered' | 'unregistered';
  /** Token B: what we send to the eMSP. A secret, never logged. */
  theirToken: string | null;
  theirVersionsUrl: string | null;
  theirCdrsUrl: string | null;
  theirCredentials: Credentials | null;
  registeredAt: string | null;
}

/** An eMSP a hub relays (listed by the operator when connecting the hub): its OCPI party and the eMSP id of its sessions. */
export interface RelayedParty {
  hubId: string;
  emspId: string;
  countryCode: string;
  partyId: string;
}

/** Whose CDRs: an eMSP's own connection (`via` null), or a hub's (`via` its id; `emspId` narrows to one relayed eMSP). */
export interface CdrRoute {
  via: string | null;
  emspId?: string;
}

export interface StoredCdr {
  cdr: Cdr;
  emspId: string;
  /** The hub the CDR goes through; null: straight to the eMSP. */
  via: string | null;
  streamId: string;
  counter: string;
  state: 'pending' | 'delivered' | 'withdrawn';
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  deliveredAt: string | null;
  location: string | null;
}

export interface Withheld {
  streamId: string;
  counter: string;
  emspId: string;
  stationId: string;
  transactionId: string | null;
  reason: WithholdReason;
  message: string;
  at: string;
}

/** A delivered CDR credited (a credit CDR issued) because a later ledger fact made it unprovable. */
export interface Credit {
  /** The credit CDR's id (in the outbox like any CDR). */
  creditId: string;
  /** The CDR credited. */
  cdrId: string;
  emspId: string;
  streamId: string;
  counter: string;
  stationId: string;
  transactionId: string | null;
  reason: WithholdReason;
  message: string;
  at: string;
  /** Delivery of the credit CDR. */
  state: StoredCdr['state'];
  attempts: number;
  lastError: string | null;
  deliveredAt: string | null;
}

/**
 * The OCPI state of the service: parties and their credentials (tokens we issue stored as SHA-256
 * digests only), station locations, CDRs with their delivery state (the outbox), and the sessions
 * that got no CDR with the reason. SQLite or PostgreSQL like the read model, but kept apart from it:
 * none of this can be rebuilt from the ledger, and a read-model rebuild drops the read model.
 */
export interface OcpiStore {
  /**
   * Connects a party. 'exists' when its id or country code + party id is taken, or, for a hub, when a
   * relayed party is another hub's or names an eMSP id or party bound otherwise (one eMSP id ↔ one party, everywhere).
   */
  createParty(p: { emspId: string; countryCode: string; partyId: string; name: string; tokenADigest: string; role?: 'EMSP' | 'HUB'; relays?: Omit<RelayedParty, 'hubId'>[] }): Promise<'created' | 'exists'>;
  /** The parties a hub relays (none for an eMSP). */
  relays(hubId: string): Promise<RelayedParty[]>;

  /** Keeps the Token object an eMSP (or its hub) pushed, as pushed (GET and PATCH read it back); who owns a token is the ledger's registry. */
  putToken(emspId: string, token: OcpiToken): Promise<void>;
  token(countryCode: string, partyId: string, uid: string, type: string): Promise<OcpiToken | undefined>;
  /** A party by the digest of a token it presents: token A (before registration) or token C (after). */
  partyByToken(digest: string): Promise<{ party: OcpiParty; token: 'A' | 'C' } | undefined>;
  party(emspId: string): Promise<OcpiParty | undefined>;
  parties(): Promise<OcpiParty[]>;
  /** Registration or update: token B, their endpoints, the digest of the new token C; token A is dropped. */
  register(emspId: string, r: { theirToken: string; theirVersionsUrl: string; theirCdrsUrl: string; theirCredentials: Credentials; tokenCDigest: string }, at: string): Promise<void>;
  unregister(emspId: string): Promise<void>;

  putLocation(stationId: string, l: StationLocation): Promise<void>;
  location(stationId: string): Promise<StationLocation | undefined>;

  /** Adds a CDR to the outbox (pending, due now); false when this CDR id exists already (nothing changes). */
  addCdr(c: { cdr: Cdr; emspId: string; streamId: string; counter: string; via?: string | null }): Promise<boolean>;
  cdr(id: string): Promise<StoredCdr | undefined>;
  /** The CDRs of a route in creation order (never station time), `last_updated` in [from, to), withdrawn ones left out. */
  cdrPage(route: CdrRoute, q: { offset: number; limit: number; from?: string; to?: string }): Promise<{ items: Cdr[]; total: number }>;
  /** Pending CDRs due at `now`, oldest first. */
  due(now: string, limit: number): Promise<StoredCdr[]>;
  /** Takes a due CDR for one attempt (until `leaseUntil`): false when another worker took it first. */
  claim(id: string, expectedNextAttemptAt: string, leaseUntil: string): Promise<boolean>;
  delivered(id: string, at: string, location: string | null): Promise<void>;
  failed(id: string, attempts: number, nextAttemptAt: string, error: string): Promise<void>;
  withdraw(id: string, error: string): Promise<void>;
  /** Makes a party's pending CDRs due at `now` (an eMSP's direct ones, a hub's routed through it): it has just registered, its backlog should not wait out a back-off. */
  retryNow(emspId: string, now: string): Promise<number>;
  deliveries(): Promise<{ state: string; count: number }[]>;

  /**
   * Credits a delivered CDR: its credit CDR enters the outbox (pending, due now) and the credit is
   * recorded with its reason; false when this CDR was credited already (nothing changes).
   */
  addCredit(c: { credit: Cdr; original: StoredCdr; stationId: string; transactionId: string | null; reason: WithholdReason; message: string; at: string }): Promise<boolean>;
  /** Credits in the order they were made, after the cursor `after` (from a previous page's last `seq`). */
  credits(q: { after?: number; limit: number }): Promise<(Credit & { seq: number })[]>;

  withhold(w: Withheld): Promise<void>;
  release(streamId: string, counter: string): Promise<void>;
  /** Withheld sessions page by page; `located`: only those at a station whose location is recorded now. */
  withheld(q: { afterKey?: string; limit: number; reasons?: readonly WithholdReason[]; located?: boolean }): Promise<Withheld[]>;
  close(): Promise<void>;
}

export const OCPI_STORE = Symbol('OcpiStore');
