import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { FastifyReply } from 'fastify';
import { tokenDigest, tokensOfAuthorization } from '../domain/credentialsToken';
import { OCPI_STATUS, OcpiError } from '../domain/OcpiStatus';
import { FailedAuthThrottle } from '../../auth/FailedAuthThrottle';
import { OCPI_STORE, type OcpiParty, type OcpiStore, type RelayedParty } from '../store/OcpiStore';

/** Which credentials tokens a handler takes: A (issued by the operator, until registration) and/or C (after). */
export const OCPI_TOKENS = 'ocpiTokens';
export const OcpiTokens = (...kinds: ('A' | 'C')[]) => SetMetadata(OCPI_TOKENS, kinds);

/** What an authenticated OCPI request carries: the party of its token, and the token as presented (never logged). */
export interface OcpiCaller {
  party: OcpiParty;
  token: 'A' | 'C';
  presented: string;
  /** A hub's request relayed for one of its parties (`OCPI-from-*` naming it); undefined otherwise. */
  onBehalfOf?: RelayedParty;
}

/** The throttle of failed OCPI authentications (a budget of its own, apart from the API keys'). */
export const OCPI_AUTH_THROTTLE = Symbol('OcpiAuthThrottle');

/**
 * OCPI authentication (transport_and_format: `Authorization: Token <base64 token>`): the token's
 * digest must belong to a party, and be of a kind the handler takes. No token, an unknown token, or a
 * token of the wrong kind → 401 with OCPI status 2000; the party (and so the eMSP id and what it may
 * read) comes from the token, never from the request. Failures are counted per client address like
 * the API keys' (20 a minute, then 429 with Retry-After before any token is looked at). Routing
 * headers a request carries (`OCPI-from-country-code`, `OCPI-from-party-id`) must name the token's
 * party, or for a hub one of the parties the operator listed it as relaying (the request is then that
 * party's: transport_and_format, "Party to Party via Hub"): 400 with 2001 otherwise.
 */
@Injectable()
export class OcpiAuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(OCPI_STORE) private readonly store: OcpiStore,
    @Inject(OCPI_AUTH_THROTTLE) private readonly throttle: FailedAuthThrottle,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest();
    const address = String(req.ip ?? req.socket?.remoteAddress ?? 'unknown');
    const wait = this.throttle.retryAfter(address, Date.now());
    if (wait > 0) {
      context.switchToHttp().getResponse<FastifyReply>().raw.setHeader('Retry-After', String(wait));
      throw new OcpiError(429, OCPI_STATUS.clientError, `too many failed authentications from this address: try again in ${wait} s with a valid token`);
    }
    try {
      return await this.authenticate(context, req);
    } catch (e) {
      if (e instanceof OcpiError && e.httpStatus === 401) this.throttle.fail(address, Date.now());
      throw e;
    }
  }

  private async authenticate(context: ExecutionContext, req: { headers: Record<string, string | string[] | undefined>; ocpi?: OcpiCaller }): Promise<boolean> {
    const kinds = this.reflector.getAllAndOverride<('A' | 'C')[]>(OCPI_TOKENS, [context.getHandler(), context.getClass()]) ?? [];
    for (const candidate of tokensOfAuthorization(req.headers?.authorization)) {
      const found = await this.store.partyByToken(tokenDigest(candidate));
      if (!found) continue;
      if (!kinds.includes(found.token)) {
        throw new OcpiError(401, OCPI_STATUS.clientError, found.token === 'A' ? 'token A only serves the registration (versions, credentials): use the token you received in exchange' : 'this token may not call this endpoint');
      }
      const [cc, pid] = [req.headers['ocpi-from-country-code'], req.headers['ocpi-from-party-id']].map((h) => (h === undefined ? undefined : String(h).toUpperCase()));
      const names = (p: { countryCode: string; partyId: string }) => (cc === undefined || cc === p.countryCode) && (pid === undefined || pid === p.partyId);
      let onBehalfOf: RelayedParty | undefined;
      if (!names(found.party)) {
        const relayed = found.party.role === 'HUB' && cc !== undefined && pid !== undefined ? (await this.store.relays(found.party.emspId)).find(names) : undefined;
        if (!relayed) {
          throw new OcpiError(400, OCPI_STATUS.invalidParameters, `OCPI-from-country-code / OCPI-from-party-id name another party than the one this token belongs to (${found.party.countryCode}*${found.party.partyId})${found.party.role === 'HUB' ? ' or one it relays' : ''}`);
        }
        onBehalfOf = relayed;
      }
      req.ocpi = { party: found.party, token: found.token, presented: candidate, ...(onBehalfOf ? { onBehalfOf } : {}) } satisfies OcpiCaller;
      return true;
    }
    throw new OcpiError(401, OCPI_STATUS.clientError, 'a valid OCPI credentials token is required (Authorization: Token <base64 of the token>)');
  }
}
