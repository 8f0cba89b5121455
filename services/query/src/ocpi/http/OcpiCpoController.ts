import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Put, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../auth/RolesGuard';
import { nextPageLink, readCdrListQuery } from '../domain/cdrListQuery';
import { OCPI_STATUS, OCPI_VERSION, OcpiError, ocpiEnvelope } from '../domain/OcpiStatus';
import { quoted } from '../domain/ocpiText';
import { OcpiTokenReceiver } from '../OcpiTokenReceiver';
import { OcpiRegistration } from '../OcpiRegistration';
import { OCPI_SETTINGS, ocpiUrls, type OcpiSettings } from '../OcpiSettings';
import { OCPI_STORE, type OcpiStore } from '../store/OcpiStore';
import { OcpiAuthGuard, OcpiTokens, type OcpiCaller } from './OcpiAuthGuard';
import { OcpiExceptionFilter } from './OcpiExceptionFilter';

type OcpiRequest = { ocpi: OcpiCaller };
type TokenPath = { countryCode: string; partyId: string; uid: string };
const TOKEN_PATH = `${OCPI_VERSION}/tokens/:countryCode/:partyId/:uid`;

/** The tokens endpoints take one URL parameter, `type`; anything else is a 2001. */
function tokenType(query: Record<string, unknown>): unknown {
  const other = Object.keys(query).filter((k) => k !== 'type');
  if (other.length > 0) throw new OcpiError(400, OCPI_STATUS.invalidParameters, `${quoted(other[0], 40)} is not a parameter (type)`);
  return query.type;
}

/**
 * The CPO's OCPI 2.2.1 endpoints, under /ocpi/cpo: versions, version details, credentials, the
 * CDRs sender interface and the Tokens receiver interface. OCPI authentication (not the API keys), answers and errors in the OCPI envelope.
 */
@ApiExcludeController()
@Public()
@UseGuards(OcpiAuthGuard)
@UseFilters(OcpiExceptionFilter)
@Controller('ocpi/cpo')
export class OcpiCpoController {
  constructor(
    @Inject(OCPI_SETTINGS) private readonly settings: OcpiSettings,
    @Inject(OCPI_STORE) private readonly store: OcpiStore,
    @Inject(OcpiRegistration) private readonly registration: OcpiRegistration,
    @Inject(OcpiTokenReceiver) private readonly tokens: OcpiTokenReceiver,
  ) {}

  @Get('versions')
  @OcpiTokens('A', 'C')
  versions() {
    return ocpiEnvelope([{ version: OCPI_VERSION, url: ocpiUrls(this.settings).version }]);
  }

  @Get(OCPI_VERSION)
  @OcpiTokens('A', 'C')
  details() {
    const u = ocpiUrls(this.settings);
    return ocpiEnvelope({
      version: OCPI_VERSION,
      endpoints: [
        { identifier: 'credentials', role: 'SENDER', url: u.credentials },
        { identifier: 'credentials', role: 'RECEIVER', url: u.credentials },
        { identifier: 'cdrs', role: 'SENDER', url: u.cdrs },
        { identifier: 'tokens', role: 'RECEIVER', url: u.tokens },
      ],
    });
  }

  @Get(`${OCPI_VERSION}/credentials`)
  @OcpiTokens('A', 'C')
  credentials(@Req() req: OcpiRequest) {
    return ocpiEnvelope(this.registration.ours(req.ocpi.presented));
  }

  @Post(`${OCPI_VERSION}/credentials`)
  @HttpCode(200)
  @OcpiTokens('A', 'C')
  async register(@Req() req: OcpiRequest, @Body() body: unknown) {
    return ocpiEnvelope(await this.registration.register(req.ocpi, body, 'POST'));
  }

  @Put(`${OCPI_VERSION}/credentials`)
  @OcpiTokens('A', 'C')
  async update(@Req() req: OcpiRequest, @Body() body: unknown) {
    return ocpiEnvelope(await this.registration.register(req.ocpi, body, 'PUT'));
  }

  @Delete(`${OCPI_VERSION}/credentials`)
  @OcpiTokens('A', 'C')
  async unregister(@Req() req: OcpiRequest) {
    await this.registration.unregister(req.ocpi);
    return ocpiEnvelope(undefined);
  }

  /**
   * CDRs sender interface (mod_cdrs, GET): the caller's own CDRs only, in creation order, paginated; a
   * hub's are those routed through it (of one relayed party when `OCPI-from-*` names it). Source: the OCPI store.
   */
  @Get(`${OCPI_VERSION}/cdrs`)
  @OcpiTokens('C')
  async cdrs(@Req() req: OcpiRequest, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const q = readCdrListQuery(query);
    const { party, onBehalfOf } = req.ocpi;
    const route = party.role === 'HUB' ? { via: party.emspId, emspId: onBehalfOf?.emspId } : { via: null, emspId: party.emspId };
    const page = await this.store.cdrPage(route, { offset: q.offset, limit: q.limit, from: q.dateFrom, to: q.dateTo });
    res.header('X-Total-Count', String(page.total));
    res.header('X-Limit', String(q.limit));
    const link = nextPageLink(ocpiUrls(this.settings).cdrs, q, page.items.length, page.total);
    if (link) res.header('Link', link);
    return ocpiEnvelope(page.items);
  }

  /** Tokens receiver interface (mod_tokens, PUT): a new or updated Token of the caller's party (a hub: of a party it relays). Writes: ledger API, `registerToken` / `withdrawToken`. */
  @Put(TOKEN_PATH)
  @OcpiTokens('C')
  async putToken(@Req() req: OcpiRequest, @Param() path: TokenPath, @Query() query: Record<string, unknown>, @Body() body: unknown) {
    await this.tokens.put(req.ocpi, path, tokenType(query), body);
    return ocpiEnvelope(undefined);
  }

  /** Tokens receiver interface (mod_tokens, PATCH): the fields given change (`last_updated` required). */
  @Patch(TOKEN_PATH)
  @OcpiTokens('C')
  async patchToken(@Req() req: OcpiRequest, @Param() path: TokenPath, @Query() query: Record<string, unknown>, @Body() body: unknown) {
    await this.tokens.patch(req.ocpi, path, tokenType(query), body);
    return ocpiEnvelope(undefined);
  }

  /** Tokens receiver interface (mod_tokens, GET): the Token as pushed. Source: the OCPI store. */
  @Get(TOKEN_PATH)
  @OcpiTokens('C')
  async getToken(@Req() req: OcpiRequest, @Param() path: TokenPath, @Query() query: Record<string, unknown>) {
    return ocpiEnvelope(await this.tokens.get(req.ocpi, path, tokenType(query)));
  }
}
