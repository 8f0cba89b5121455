import { LedgerRuleViolation, type Ledger } from '@metrology-ledger/ledger';
import { checkToken, patchToken, tokenTypeParameter, type OcpiToken, type TokenAddress, type TokenCheck } from './domain/OcpiToken';
import { OCPI_STATUS, OcpiError } from './domain/OcpiStatus';
import { quoted } from './domain/ocpiText';
import type { OcpiCaller } from './http/OcpiAuthGuard';
import type { OcpiStore } from './store/OcpiStore';

/**
 * The Tokens module, CPO as Receiver (mod_tokens.asciidoc, Receiver Interface): eMSPs push their
 * drivers' tokens with PUT or PATCH at `{tokens}/{country_code}/{party_id}/{token_uid}[?type=]` and
 * read one back with GET. A token is the pushing party's own: an eMSP pushes for its own country code
 * and party id, a hub for the parties the operator listed it as relaying; any other party in the URL
 * is answered 404 (transport_and_format, Client Owned Object Push, Errors). A pushed token goes into
 * the ledger's token registry (`registerToken`; `valid: false` → `withdrawToken`) for the eMSP id of
 * that party, so its sessions become that eMSP's (the read model's ownership rules); the Token object
 * itself is kept in the OCPI store for GET and PATCH.
 */
export class OcpiTokenReceiver {
  constructor(
    private readonly ledger: Ledger,
    private readonly store: OcpiStore,
  ) {}

  async put(caller: OcpiCaller, path: { countryCode: string; partyId: string; uid: string }, type: unknown, body: unknown): Promise<void> {
    const { at, emspId } = await this.address(caller, path, type);
    await this.record(emspId, checkToken(body, at));
  }

  async patch(caller: OcpiCaller, path: { countryCode: string; partyId: string; uid: string }, type: unknown, body: unknown): Promise<void> {
    const { at, emspId } = await this.address(caller, path, type);
    const held = await this.store.token(at.countryCode, at.partyId, at.uid, at.type);
    if (!held) throw new OcpiError(404, OCPI_STATUS.unknownToken, `no token ${quoted(at.uid, 40)} of type ${at.type} was pushed for ${at.countryCode}*${at.partyId}: PUT it first`);
    await this.record(emspId, patchToken(held, body, at));
  }

  async get(caller: OcpiCaller, path: { countryCode: string; partyId: string; uid: string }, type: unknown): Promise<OcpiToken> {
    const { at } = await this.address(caller, path, type);
    const held = await this.store.token(at.countryCode, at.partyId, at.uid, at.type);
    if (!held) throw new OcpiError(404, OCPI_STATUS.unknownToken, `no token ${quoted(at.uid, 40)} of type ${at.type} was pushed for ${at.countryCode}*${at.partyId}`);
    return held;
  }

  /** The token's address, and the eMSP id of its party when the caller may push for it (its own party; a hub: a party it relays). */
  private async address(caller: OcpiCaller, path: { countryCode: string; partyId: string; uid: string }, typeParameter: unknown): Promise<{ at: TokenAddress; emspId: string }> {
    const type = tokenTypeParameter(typeParameter);
    if (type === undefined) throw new OcpiError(400, OCPI_STATUS.invalidParameters, `type must be one of AD_HOC_USER, APP_USER, OTHER, RFID (RFID when omitted); got ${quoted(typeParameter)}`);
    if (!/^[A-Za-z]{2}$/.test(path.countryCode) || !/^[A-Za-z0-9]{3}$/.test(path.partyId)) {
      throw new OcpiError(400, OCPI_STATUS.invalidParameters, 'the URL must be {tokens}/{country_code: 2 letters}/{party_id: 3 letters or digits}/{token_uid}');
    }
    if (!/^[\x21-\x7e]{1,36}$/.test(path.uid)) throw new OcpiError(400, OCPI_STATUS.invalidParameters, 'token_uid must be 1-36 printable ASCII characters without spaces (CiString(36))');
    const at: TokenAddress = { countryCode: path.countryCode.toUpperCase(), partyId: path.partyId.toUpperCase(), uid: path.uid, type };
    const same = (p: { countryCode: string; partyId: string }) => p.countryCode === at.countryCode && p.partyId === at.partyId;
    const p = caller.party;
    const emspId =
      caller.onBehalfOf !== undefined
        ? same(caller.onBehalfOf) ? caller.onBehalfOf.emspId : undefined
        : p.role === 'HUB'
          ? (await this.store.relays(p.emspId)).find(same)?.emspId
          : same(p) ? p.emspId : undefined;
    if (emspId === undefined) {
      throw new OcpiError(404, OCPI_STATUS.clientError, `${at.countryCode}*${at.partyId} is not ${p.role === 'HUB' ? 'a party this hub relays' : 'the party of this token'} (${p.countryCode}*${p.partyId}): its tokens are not yours to push or read`);
    }
    return { at, emspId };
  }

  /** Into the ledger's registry first (its rules decide), then the Token object as pushed. */
  private async record(emspId: string, checked: TokenCheck): Promise<void> {
    if (!checked.ok) throw new OcpiError(400, OCPI_STATUS.invalidParameters, `not a valid OCPI 2.2.1 Token object: ${checked.problems.join('; ')}`);
    const t = checked.token;
    const by = `emsp:${emspId}` as const;
    try {
      if (t.valid) await this.ledger.registerToken({ uid: t.uid, tokenType: t.type, contractId: t.contract_id, emspId, registeredBy: by });
      else await this.ledger.withdrawToken({ uid: t.uid, tokenType: t.type, by });
    } catch (e) {
      if (!(e instanceof LedgerRuleViolation)) throw e;
      // An invalid token the registry does not hold for this eMSP (or holds under another type): nothing to withdraw, which is what was asked.
      if (!(e.rule === 'token-unknown' && !t.valid)) {
        throw e.rule === 'token-owned'
          ? new OcpiError(409, OCPI_STATUS.clientError, `${e.message} (ask the charge point operator)`)
          : new OcpiError(400, OCPI_STATUS.invalidParameters, `the token registry refuses it: ${e.message}`);
      }
    }
    await this.store.putToken(emspId, t);
  }
}
