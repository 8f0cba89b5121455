import { BadRequestException, Body, ConflictException, Controller, Get, Inject, NotFoundException, Param, Post, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Ledger } from '@metrology-ledger/ledger';
import { Roles } from '../../auth/RolesGuard';
import { assertStationId } from '../../http/assertStationId';
import { newCredentialsToken, tokenDigest } from '../domain/credentialsToken';
import { checkStationLocation } from '../domain/StationLocation';
import { OCPI_SETTINGS, ocpiUrls, type OcpiSettings } from '../OcpiSettings';
import { OCPI_STORE, type OcpiStore } from '../store/OcpiStore';
import { InvalidWithheldCursor, withheldKey } from '../store/SqlOcpiStore';
import { CreateHubDto, CreatePartyDto, WithheldQueryDto } from './CreatePartyDto';
import { CreditsQueryDto } from './CreditsQueryDto';

/** The operator's side of OCPI: connecting an eMSP (token A), station locations for CDRs, what was withheld and why, the outbox. */
@ApiTags('operator: OCPI')
@ApiBearerAuth()
@Roles('operator')
@Controller('operator/ocpi')
export class OcpiOperatorController {
  constructor(
    @Inject(OCPI_STORE) private readonly store: OcpiStore,
    @Inject(OCPI_SETTINGS) private readonly settings: OcpiSettings,
    @Inject(Ledger) private readonly ledger: Ledger,
  ) {}

  /**
   * Connects an eMSP: binds the eMSP id of its sessions to its OCPI party and issues token A, shown
   * in this answer only (stored as a digest). Hand it and the versions URL to the eMSP out of band.
   */
  @Post('parties')
  async create(@Body() body: CreatePartyDto) {
    const tokenA = newCredentialsToken();
    const created = await this.store.createParty({ ...body, tokenADigest: tokenDigest(tokenA) });
    if (created === 'exists') throw new ConflictException({ statusCode: 409, message: `eMSP ${body.emspId} or party ${body.countryCode}*${body.partyId} is connected already, or a hub relays it under another eMSP id or party` });
    return { emspId: body.emspId, countryCode: body.countryCode, partyId: body.partyId, tokenA, versionsUrl: ocpiUrls(this.settings).versions, note: 'token A is shown once; it is stored as a digest' };
  }

  /**
   * Connects a roaming hub (OCPI role HUB) and lists the eMSPs it relays, each bound to its eMSP id as
   * an eMSP connected directly would be: the hub may push tokens for these parties only, and gets the
   * CDRs of their sessions unless the eMSP is also connected directly (then the direct connection
   * wins). Token A is shown in this answer only, as for an eMSP.
   */
  @Post('hubs')
  async createHub(@Body() body: CreateHubDto) {
    const tokenA = newCredentialsToken();
    const relays = body.relays.map((r) => ({ emspId: r.emspId, countryCode: r.countryCode, partyId: r.partyId }));
    const created = await this.store.createParty({ emspId: body.hubId, countryCode: body.countryCode, partyId: body.partyId, name: body.name, tokenADigest: tokenDigest(tokenA), role: 'HUB', relays });
    if (created === 'exists') {
      throw new ConflictException({ statusCode: 409, message: `hub ${body.hubId} or party ${body.countryCode}*${body.partyId} is connected already, or a relayed party is another hub's or bound to another eMSP id or party` });
    }
    return { hubId: body.hubId, countryCode: body.countryCode, partyId: body.partyId, relays, tokenA, versionsUrl: ocpiUrls(this.settings).versions, note: 'token A is shown once; it is stored as a digest' };
  }

  /** The connected parties (eMSPs and hubs, with the parties each hub relays), their state and endpoints (no token). */
  @Get('parties')
  async parties() {
    const out = [];
    for (const { theirToken: _t, theirCredentials, ...p } of await this.store.parties()) {
      out.push({ ...p, roles: theirCredentials?.roles ?? [], ...(p.role === 'HUB' ? { relays: (await this.store.relays(p.emspId)).map(({ hubId: _h, ...r }) => r) } : {}) });
    }
    return out;
  }

  /** Where a station is, as its CDRs say (OCPI CdrLocation); sessions held for `no-location` get their CDR on the next pass. */
  @Put('stations/:stationId/location')
  async location(@Param('stationId') stationId: string, @Body() body: unknown) {
    assertStationId(stationId);
    const checked = checkStationLocation(body);
    if (!checked.ok) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: checked.problems.join('; ') });
    await this.store.putLocation(stationId, checked.location);
    return { stationId, location: checked.location };
  }

  /** Sessions of connected eMSPs that got no CDR, each with its reason (conflict, invalid, no-energy, …), paged. Source: the OCPI store. */
  @Get('withheld')
  async withheld(@Query() q: WithheldQueryDto) {
    const limit = q.limit ? Number(q.limit) : 100;
    try {
      const items = await this.store.withheld({ afterKey: q.after, limit: limit + 1 });
      const page = items.slice(0, limit);
      return { items: page, nextCursor: items.length > limit ? withheldKey(page[page.length - 1]) : null };
    } catch (e) {
      if (e instanceof InvalidWithheldCursor) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: e.message });
      throw e;
    }
  }

  /**
   * CDRs delivered and then credited (OCPI credit CDRs), in the order they were credited: the CDR,
   * its credit CDR and its delivery, and why (a conflict received or a token mismatch found after the
   * CDR went out: the value is no longer provable). Source: the OCPI store.
   */
  @Get('credits')
  async credits(@Query() q: CreditsQueryDto) {
    const limit = q.limit ? Number(q.limit) : 100;
    const items = await this.store.credits({ after: q.after ? Number(q.after) : undefined, limit: limit + 1 });
    const page = items.slice(0, limit);
    return { items: page.map(({ seq: _seq, ...c }) => c), nextCursor: items.length > limit ? String(page[page.length - 1].seq) : null };
  }

  /**
   * Counters of a station that have no packet in the ledger (open gaps): sessions that cannot have a
   * CDR because their packet never arrived validly. Source: the ledger API (`gaps`).
   */
  @Get('stations/:stationId/missing')
  async missing(@Param('stationId') stationId: string) {
    assertStationId(stationId);
    return (await this.ledger.gaps(stationId)).map((g) => ({ streamId: g.streamId, gaps: g.gaps, missing: g.missing, reason: 'no packet recorded for these counters: no CDR' }));
  }

  /** The outbox: CDRs by delivery state. */
  @Get('outbox')
  async outbox() {
    return { deliveries: await this.store.deliveries() };
  }

  /** One CDR with its delivery state, attempts and the last error. */
  @Get('cdrs/:cdrId')
  async cdr(@Param('cdrId') cdrId: string) {
    if (!/^[0-9a-f]{32}$/.test(cdrId)) throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: 'a CDR id is 32 hexadecimal characters' });
    const c = await this.store.cdr(cdrId);
    if (!c) throw new NotFoundException({ statusCode: 404, error: 'Not Found', message: 'no such CDR' });
    return c;
  }
}
