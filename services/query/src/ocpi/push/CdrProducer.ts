import type { SessionView } from '../../domain/SessionView';
import type { SessionStore } from '../../readmodel/SessionStore';
import { buildCdr, RECOVERABLE_REASONS, type CdrParties } from '../domain/buildCdr';
import type { OcpiParty, OcpiStore } from '../store/OcpiStore';
import { withheldKey } from '../store/SqlOcpiStore';

const PAGE = 200;

/**
 * Decides, for every session of an OCPI-connected eMSP, its CDR or why there is none, and puts the
 * CDR in the outbox. Follows the read model per eMSP with its own cursor (from the start at every
 * start of the service: CDR ids derive from the session, so deciding again adds nothing), and looks
 * again at sessions held for a reason that has gone away (their station's location is recorded now).
 * Work per pass: the sessions added since the last pass, and those held sessions.
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
    for (const party of await this.store.parties()) {
      if (party.state === 'unregistered') continue;
      for (;;) {
        const page = await this.sessions.page({ emspId: party.emspId, cursor: this.cursors.get(party.emspId), limit: PAGE });
        for (const s of page.items) count(await this.decide(s, party));
        if (page.endCursor) this.cursors.set(party.emspId, page.endCursor);
        if (!page.nextCursor) break;
      }
    }
    let after: string | undefined;
    for (;;) {
      const held = await this.store.withheld({ afterKey: after, limit: PAGE, reasons: RECOVERABLE_REASONS, located: true });
      for (const w of held) {
        const party = await this.store.party(w.emspId);
        const s = await this.sessions.get(w.streamId, w.counter);
        if (party && s) count(await this.decide(s, party));
      }
      if (held.length < PAGE) break;
      after = withheldKey(held[held.length - 1]);
    }
    return total;
  }

  private async decide(s: SessionView, party: OcpiParty): Promise<'added' | 'withheld' | 'known'> {
    const url = this.receiptUrl?.({ streamId: s.streamId, counter: s.counter, emspId: party.emspId });
    const d = buildCdr(s, await this.store.location(s.stationId), { cpo: this.cpo, emsp: { countryCode: party.countryCode, partyId: party.partyId } }, this.now(), url);
    if (d.ok) {
      const added = await this.store.addCdr({ cdr: d.cdr, emspId: party.emspId, streamId: s.streamId, counter: s.counter });
      await this.store.release(s.streamId, s.counter);
      return added ? 'added' : 'known';
    }
    await this.store.withhold({ streamId: s.streamId, counter: s.counter, emspId: party.emspId, stationId: s.stationId, transactionId: s.transactionId, reason: d.reason, message: d.message, at: this.now().toISOString() });
    return 'withheld';
  }
}
