import { tokenKey } from '@metrology-ledger/ledger';
import type { SessionView } from '../../domain/SessionView';
import type { SessionStore } from '../../readmodel/SessionStore';
import { buildCdr, cdrIdOf, RECOVERABLE_REASONS, type CdrParties, type CdrDecision } from '../domain/buildCdr';
import { creditCdrOf, CREDIT_REASONS } from '../domain/creditCdr';
import type { OcpiStore } from '../store/OcpiStore';
import { withheldKey } from '../store/SqlOcpiStore';
import type { SessionChangeFeed, SessionChanges } from './SessionChangeFeed';

const PAGE = 200;

/**
 * Where an eMSP's CDRs go: straight to it (`via` null), or through the hub that relays it (`via` the
 * hub's id). `to` is the eMSP's OCPI party, named in every CDR (cdr_token) whichever the route.
 */
export interface CdrDestination {
  emspId: string;
  via: string | null;
  to: { countryCode: string; partyId: string };
}

/**
 * Decides, for every session of an OCPI-connected eMSP, its CDR or why there is none, and puts the
 * CDR in the outbox. Follows the read model per eMSP with its own cursor (from the start at every
 * start of the service: CDR ids derive from the session, so deciding again adds nothing), and looks
 * again at sessions held for a reason that has gone away (their station's location is recorded now).
 * Work per pass: the sessions added since the last pass, and those held sessions.
 *
 * Routes (`routes`): an eMSP connected directly gets its CDRs directly; an eMSP a hub relays gets them
 * through the hub, unless it is also connected directly (not unregistered): **the direct connection
 * wins**. A session has one CDR whatever the routes (its id is the session's), so an eMSP reachable both
 * ways gets each CDR once, over the route that made it.
 *
 * A session whose CDR was delivered and that a later ledger fact makes unprovable (CREDIT_REASONS:
 * a conflict received, a token mismatch shown by later OCPP frames) gets a credit CDR in the outbox
 * (OCPI "Credit CDRs"), and is listed as withheld with the reason. Such sessions come from the change
 * feed during a run, and from deciding every session again at each start.
 */
export class CdrProducer {
  private readonly cursors = new Map<string, string>();
  /** Unprovable sessions whose CDR was still pending (the pusher withdraws or delivers it): looked at again next pass. */
  private recheck = new Map<string, { streamId: string; counter: string }>();

  constructor(
    private readonly sessions: SessionStore,
    private readonly store: OcpiStore,
    private readonly cpo: CdrParties['cpo'],
    private readonly now: () => Date = () => new Date(),
    /** The customer's receipt link of a session, for the CDR's signed_data.url (duties 3 and 5). */
    private readonly receiptUrl?: (s: { streamId: string; counter: string; emspId: string }) => string | undefined,
    /** Sessions changed after they were projected (conflicts, later token facts): their delivered CDRs may need a credit. */
    private readonly changes?: SessionChangeFeed,
  ) {}

  /** One pass; returns how many CDRs were added, how many sessions were held back and how many CDRs were credited in it. */
  async produce(): Promise<{ added: number; withheld: number; credited: number }> {
    const total = { added: 0, withheld: 0, credited: 0 };
    const count = (outcome: 'added' | 'withheld' | 'credited' | 'known') => outcome !== 'known' && total[outcome]++;
    const routes = await this.routes();
    const noted = this.changes?.take() ?? { sessions: [], transactions: [], owners: [] };
    // A token registered later moves older sessions to its eMSP without moving them past its cursor:
    // that eMSP's sessions are followed again from the start (deciding again adds nothing).
    for (const route of routes.values()) if (noted.owners.includes(route.emspId)) this.cursors.delete(`${route.via ?? ''}\n${route.emspId}`);
    for (const route of routes.values()) {
      const key = `${route.via ?? ''}\n${route.emspId}`;
      for (;;) {
        const page = await this.sessions.page({ emspId: route.emspId, cursor: this.cursors.get(key), limit: PAGE });
        for (const s of page.items) count(await this.decide(s, route));
        if (page.endCursor) this.cursors.set(key, page.endCursor);
        if (!page.nextCursor) break;
      }
    }
    let after: string | undefined;
    for (;;) {
      const held = await this.store.withheld({ afterKey: after, limit: PAGE, reasons: RECOVERABLE_REASONS, located: true });
      for (const w of held) {
        const route = routes.get(w.emspId);
        const s = await this.sessions.get(w.streamId, w.counter);
        if (route && s) count(await this.decide(s, route));
      }
      if (held.length < PAGE) break;
      after = withheldKey(held[held.length - 1]);
    }
    for (const s of await this.changed(noted)) count(await this.review(s));
    return total;
  }

  /** The route of each eMSP that has one, by eMSP id: its own connection, else the hub relaying it. */
  async routes(): Promise<Map<string, CdrDestination>> {
    const parties = (await this.store.parties()).filter((p) => p.state !== 'unregistered');
    const routes = new Map<string, CdrDestination>();
    for (const p of parties) if (p.role === 'EMSP') routes.set(p.emspId, { emspId: p.emspId, via: null, to: { countryCode: p.countryCode, partyId: p.partyId } });
    for (const hub of parties.filter((p) => p.role === 'HUB')) {
      for (const r of await this.store.relays(hub.emspId)) {
        if (!routes.has(r.emspId)) routes.set(r.emspId, { emspId: r.emspId, via: hub.emspId, to: { countryCode: r.countryCode, partyId: r.partyId } });
      }
    }
    return routes;
  }

  /** The sessions the change feed noted and those to look at again, each once, as they are now. */
  private async changed(noted: SessionChanges): Promise<SessionView[]> {
    const keys = new Map(this.recheck);
    this.recheck = new Map();
    for (const k of noted.sessions) keys.set(`${k.streamId}\n${k.counter}`, k);
    const out: SessionView[] = [];
    for (const k of keys.values()) {
      const s = await this.sessions.get(k.streamId, k.counter);
      if (s) out.push(s);
    }
    for (const t of noted.transactions) {
      for (const s of await this.sessions.byTransaction(t.transactionId)) if (s.stationId === t.stationId && !keys.has(`${s.streamId}\n${s.counter}`)) out.push(s);
    }
    return out;
  }

  /**
   * A changed session that has a CDR: decided again on the route its CDR took, as stored with it (a
   * session without one is the cursor's). Not the current routes: the hub or eMSP it went to may have
   * been unregistered since, and its credit is still owed there.
   */
  private async review(s: SessionView): Promise<'added' | 'withheld' | 'credited' | 'known'> {
    const existing = await this.store.cdr(cdrIdOf(s.streamId, s.counter));
    if (!existing) return 'known';
    const to = { countryCode: existing.cdr.cdr_token.country_code, partyId: existing.cdr.cdr_token.party_id };
    return this.decide(s, { emspId: existing.emspId, via: existing.via ?? null, to });
  }

  private async decide(s: SessionView, route: CdrDestination): Promise<'added' | 'withheld' | 'credited' | 'known'> {
    const url = this.receiptUrl?.({ streamId: s.streamId, counter: s.counter, emspId: route.emspId });
    // cdr_token from the registry's entry of the session's token, when the session's eMSP holds it.
    const uid = s.token?.uid ?? s.identification.data;
    const entry = uid ? await this.sessions.registeredToken(tokenKey(uid)) : undefined;
    const registered = entry && entry.emspId === route.emspId ? entry : undefined;
    const d = buildCdr(s, await this.store.location(s.stationId), { cpo: this.cpo, emsp: route.to }, this.now(), url, registered);
    if (d.ok) {
      const added = await this.store.addCdr({ cdr: d.cdr, emspId: route.emspId, streamId: s.streamId, counter: s.counter, via: route.via });
      await this.store.release(s.streamId, s.counter);
      return added ? 'added' : 'known';
    }
    await this.store.withhold({ streamId: s.streamId, counter: s.counter, emspId: route.emspId, stationId: s.stationId, transactionId: s.transactionId, reason: d.reason, message: d.message, at: this.now().toISOString() });
    return (await this.credit(s, d)) ? 'credited' : 'withheld';
  }

  /** Credits the session's delivered CDR when the reason it is now withheld makes it unprovable; true when a credit CDR was added. */
  private async credit(s: SessionView, d: Extract<CdrDecision, { ok: false }>): Promise<boolean> {
    if (!CREDIT_REASONS.includes(d.reason)) return false;
    const existing = await this.store.cdr(cdrIdOf(s.streamId, s.counter));
    if (!existing) return false;
    if (existing.state === 'pending') {
      this.recheck.set(`${s.streamId}\n${s.counter}`, { streamId: s.streamId, counter: s.counter });
      return false;
    }
    if (existing.state !== 'delivered') return false;
    const at = this.now();
    const message = `delivered CDR credited: ${d.message}`;
    return this.store.addCredit({ credit: creditCdrOf(existing.cdr, d.message, at), original: existing, stationId: s.stationId, transactionId: s.transactionId, reason: d.reason, message, at: at.toISOString() });
  }
}
