import { tokenKey } from '@metrology-ledger/ledger';
import type { SessionView } from '../../domain/SessionView';
import type { SessionStore } from '../../readmodel/SessionStore';
import { buildCdr, RECOVERABLE_REASONS, type CdrParties } from '../domain/buildCdr';
import type { OcpiStore } from '../store/OcpiStore';
import { withheldKey } from '../store/SqlOcpiStore';

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
 */
export class CdrProducer {
  private readonly cursors = new Map<string, string>();

  constructor(
    private readonly sessions: SessionStore,
    private readonly store: OcpiStore,
    private readonly cpo: CdrParties['cpo'],
    private readonly now: () => Date = () => new Date(),
    /** The customer's receipt link of a session, for the CDR's signed_data.url (duties 3 and 5). */
    private readonly receiptUrl?: (s: { streamId: string; counter: string; emspId: string }) => string | undefined,
  ) {}

  /** One pass; returns how many CDRs were added and how many sessions were held back in it. */
  async produce(): Promise<{ added: number; withheld: number }> {
    const total = { added: 0, withheld: 0 };
    const count = (outcome: 'added' | 'withheld' | 'known') => outcome !== 'known' && total[outcome]++;
    const routes = await this.routes();
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

  private async decide(s: SessionView, route: CdrDestination): Promise<'added' | 'withheld' | 'known'> {
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
    return 'withheld';
  }
}
