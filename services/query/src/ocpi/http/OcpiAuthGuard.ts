import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { tokenDigest, tokensOfAuthorization } from '../domain/credentialsToken';
import { OCPI_STATUS, OcpiError } from '../domain/OcpiStatus';
import { OCPI_STORE, type OcpiParty, type OcpiStore } from '../store/OcpiStore';

/** Which credentials tokens a handler takes: A (issued by the operator, until registration) and/or C (after). */
export const OCPI_TOKENS = 'ocpiTokens';
export const OcpiTokens = (...kinds: ('A' | 'C')[]) => SetMetadata(OCPI_TOKENS, kinds);

/** What an authenticated OCPI request carries: the party of its token, and the token as presented (never logged). */
export interface OcpiCaller {
  party: OcpiParty;
  token: 'A' | 'C';
  presented: string;
}

/**
 * OCPI authentication (transport_and_format: `Authorization: Token <base64 token>`): the token's
 * digest must belong to a party, and be of a kind the handler takes. No token, an unknown token, or a
 * token of the wrong kind → 401 with OCPI status 2000; the party (and so the eMSP id and what it may
 * read) comes from the token, never from the request.
 */
@Injectable()
export class OcpiAuthGuard implements CanActivate {
  constructor(
    @Inject(Reflector) private readonly reflector: Reflector,
    @Inject(OCPI_STORE) private readonly store: OcpiStore,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest();
    const kinds = this.reflector.getAllAndOverride<('A' | 'C')[]>(OCPI_TOKENS, [context.getHandler(), context.getClass()]) ?? [];
    for (const candidate of tokensOfAuthorization(req.headers?.authorization)) {
      const found = await this.store.partyByToken(tokenDigest(candidate));
      if (!found) continue;
      if (!kinds.includes(found.token)) {
        throw new OcpiError(401, OCPI_STATUS.clientError, found.token === 'A' ? 'token A only serves the registration (versions, credentials): use the token you received in exchange' : 'this token may not call this endpoint');
      }
      req.ocpi = { party: found.party, token: found.token, presented: candidate } satisfies OcpiCaller;
      return true;
    }
    throw new OcpiError(401, OCPI_STATUS.clientError, 'a valid OCPI credentials token is required (Authorization: Token <base64 of the token>)');
  }
}
