import { bindsParty, checkCredentials, type Credentials } from './domain/Credentials';
import { newCredentialsToken, tokenDigest } from './domain/credentialsToken';
import { TokenSealer } from './domain/TokenSealer';
import { OCPI_STATUS, OcpiError } from './domain/OcpiStatus';
import { quoted } from './domain/ocpiText';
import type { OcpiCaller } from './http/OcpiAuthGuard';
import { OcpiCallFailed, type OcpiClient } from './push/OcpiClient';
import { ocpiUrls, type OcpiSettings } from './OcpiSettings';
import type { OcpiStore } from './store/OcpiStore';

/**
 * The credentials handshake of the CPO (credentials.asciidoc), per eMSP. Registration: the eMSP POSTs
 * its credentials (token B, versions URL) with token A; we fetch its versions and endpoints with token
 * B, keep its `cdrs` receiver endpoint, and answer with token C (token A is dropped). Update: the same
 * with PUT and token C (a new token C). Unregistration: DELETE with token C. The credentials must
 * name the eMSP role (a hub: the HUB role) with the country code and party id the operator issued token A for: that binds
 * the connection to one eMSP id, so what it reads stays its own.
 */
export class OcpiRegistration {
  constructor(
    private readonly store: OcpiStore,
    private readonly client: OcpiClient,
    private readonly settings: OcpiSettings,
    private readonly now: () => Date = () => new Date(),
    private readonly sealer: TokenSealer = new TokenSealer(),
  ) {}

  /** Our credentials, as the caller may use them: the token it presented. */
  ours(token: string): Credentials {
    return {
      token,
      url: ocpiUrls(this.settings).versions,
      roles: [{ role: 'CPO', business_details: { name: this.settings.businessName }, party_id: this.settings.partyId, country_code: this.settings.countryCode }],
    };
  }

  async register(caller: OcpiCaller, body: unknown, method: 'POST' | 'PUT'): Promise<Credentials> {
    if (method === 'POST' && caller.token !== 'A') throw new OcpiError(405, OCPI_STATUS.clientError, 'already registered: update the credentials with PUT, or DELETE them first');
    if (method === 'PUT' && caller.token !== 'C') throw new OcpiError(405, OCPI_STATUS.clientError, 'not registered yet: register with POST');
    const checked = checkCredentials(body);
    if (!checked.ok) throw new OcpiError(400, OCPI_STATUS.invalidParameters, `not a valid OCPI 2.2.1 Credentials object: ${checked.problems.join('; ')}`);
    const theirs = checked.credentials;
    const p = caller.party;
    if (!bindsParty(theirs, p.countryCode, p.partyId, p.role)) {
      throw new OcpiError(400, OCPI_STATUS.invalidParameters, `the credentials name no ${p.role} role for ${p.countryCode}*${p.partyId}, the party this token was issued to`);
    }
    if (theirs.token.length < 16) throw new OcpiError(400, OCPI_STATUS.invalidParameters, 'token B must be at least 16 characters: it is the key to your system');
    let cdrsUrl: string | null;
    try {
      cdrsUrl = (await this.client.cdrsEndpoint(theirs.url, theirs.token, { from: this.cpo(), to: { countryCode: p.countryCode, partyId: p.partyId } })).cdrsUrl;
    } catch (e) {
      if (!(e instanceof OcpiCallFailed)) throw e;
      throw new OcpiError(502, OCPI_STATUS.unableToUseClientApi, `could not read your versions and endpoints at ${quoted(theirs.url, 200)} with the token you sent: ${e.message}`);
    }
    if (!cdrsUrl) throw new OcpiError(400, OCPI_STATUS.noMatchingEndpoints, 'your 2.2.1 endpoints list no cdrs endpoint with role RECEIVER: this CPO pushes CDRs');
    const tokenC = newCredentialsToken();
    const at = this.now().toISOString();
    await this.store.register(p.emspId, { theirToken: this.sealer.seal(theirs.token), theirVersionsUrl: theirs.url, theirCdrsUrl: cdrsUrl, theirCredentials: { ...theirs, token: '(kept apart)' }, tokenCDigest: tokenDigest(tokenC) }, at);
    // CDRs made while the eMSP could not be reached (not registered yet, or at an old endpoint) go out on the next pass.
    await this.store.retryNow(p.emspId, at);
    return this.ours(tokenC);
  }

  async unregister(caller: OcpiCaller): Promise<void> {
    if (caller.token !== 'C') throw new OcpiError(405, OCPI_STATUS.clientError, 'not registered: nothing to unregister');
    await this.store.unregister(caller.party.emspId);
  }

  private cpo() {
    return { countryCode: this.settings.countryCode, partyId: this.settings.partyId };
  }
}
