import type { SessionStore } from '../../readmodel/SessionStore';
import { retryDelay } from '../domain/retryDelay';
import { SealedTokenUnreadable, TokenSealer } from '../domain/TokenSealer';
import type { OcpiStore, StoredCdr } from '../store/OcpiStore';
import { OcpiCallFailed, type OcpiClient } from './OcpiClient';

export interface PushSettings {
  /** First pause after a failed push, ms; doubles per attempt up to `retryMaxMs`. */
  retryMinMs: number;
  retryMaxMs: number;
  /** How long one attempt holds a CDR before another worker may take it, ms. */
  leaseMs: number;
  cpo: { countryCode: string; partyId: string };
}

export interface PushOutcome {
  delivered: number;
  failed: number;
  withdrawn: number;
  /** Taken by another worker between listing and claiming: not tried here. */
  skipped: number;
}

const BATCH = 100;

/**
 * Delivers the outbox: every pending CDR that is due is POSTed to its eMSP's `cdrs` endpoint (or its
 * hub's, for a CDR routed through a hub, with the eMSP's party in `OCPI-to-*`). Only an
 * answer that is the OCPI envelope with a 1xxx status marks it delivered; anything else (refused
 * connection, timeout, HTTP error, garbage) keeps it pending with the reason and the next attempt
 * after a doubling pause. Before each attempt the session is read again: a session that has since
 * fallen into conflict has its undelivered CDR withdrawn (duty 7), never sent.
 */
export class CdrPusher {
  constructor(
    private readonly store: OcpiStore,
    private readonly sessions: SessionStore,
    private readonly client: OcpiClient,
    private readonly settings: PushSettings,
    private readonly now: () => Date = () => new Date(),
    private readonly log: { warn(message: string): void } = { warn: () => undefined },
    private readonly sealer: TokenSealer = new TokenSealer(),
  ) {}

  async push(): Promise<PushOutcome> {
    const out: PushOutcome = { delivered: 0, failed: 0, withdrawn: 0, skipped: 0 };
    const due = await this.store.due(this.now().toISOString(), BATCH);
    for (const c of due) out[await this.attempt(c)]++;
    return out;
  }

  private async attempt(c: StoredCdr): Promise<keyof PushOutcome> {
    const start = this.now();
    if (!(await this.store.claim(c.cdr.id, c.nextAttemptAt!, new Date(start.getTime() + this.settings.leaseMs).toISOString()))) return 'skipped';
    // A credit CDR goes out whatever its session has become: it is what says the session is not billable.
    const session = c.cdr.credit ? undefined : await this.sessions.get(c.streamId, c.counter);
    const unprovable = session && (session.status === 'conflict' ? 'conflict' : session.verdict !== 'valid' ? 'invalid' : session.tokenMismatch ? 'token-mismatch' : undefined);
    if (session && unprovable) {
      const now = { conflict: 'in conflict', invalid: 'not verified', 'token-mismatch': 'named by another OCPP token than the signed identification' }[unprovable];
      const message = `the session is now ${now}: its CDR was withdrawn before delivery`;
      await this.store.withdraw(c.cdr.id, message);
      await this.store.withhold({ streamId: c.streamId, counter: c.counter, emspId: c.emspId, stationId: session.stationId, transactionId: session.transactionId, reason: unprovable, message, at: this.now().toISOString() });
      return 'withdrawn';
    }
    // Through the hub it was routed to, else straight to the eMSP; addressed to the eMSP's party either way (OCPI-to-*).
    const party = await this.store.party(c.via ?? c.emspId);
    const to = { countryCode: c.cdr.cdr_token.country_code, partyId: c.cdr.cdr_token.party_id };
    const fail = async (reason: string): Promise<'failed'> => {
      const attempts = c.attempts + 1;
      const next = new Date(this.now().getTime() + retryDelay(attempts, this.settings.retryMinMs, this.settings.retryMaxMs));
      await this.store.failed(c.cdr.id, attempts, next.toISOString(), reason);
      this.log.warn(`OCPI: CDR ${c.cdr.id} for ${c.emspId} not delivered (attempt ${attempts}; next at ${next.toISOString()}): ${reason}`);
      return 'failed';
    };
    if (!party || party.state !== 'registered' || !party.theirToken || !party.theirCdrsUrl) return fail(`the ${c.via ? 'hub' : 'eMSP'} is not registered (no cdrs endpoint, no token): kept until it registers`);
    try {
      const location = await this.client.postCdr(party.theirCdrsUrl, this.sealer.open(party.theirToken), { from: this.settings.cpo, to }, c.cdr);
      await this.store.delivered(c.cdr.id, this.now().toISOString(), location);
      return 'delivered';
    } catch (e) {
      if (e instanceof OcpiCallFailed || e instanceof SealedTokenUnreadable) return fail(e.message);
      return fail(`unexpected: ${(e as Error).name}`);
    }
  }
}
