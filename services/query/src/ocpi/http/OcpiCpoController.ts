import { Body, Controller, Delete, Get, HttpCode, Inject, Post, Put, Query, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../../auth/RolesGuard';
import { nextPageLink, readCdrListQuery } from '../domain/cdrListQuery';
import { OCPI_VERSION, ocpiEnvelope } from '../domain/OcpiStatus';
import { OcpiRegistration } from '../OcpiRegistration';
import { OCPI_SETTINGS, ocpiUrls, type OcpiSettings } from '../OcpiSettings';
import { OCPI_STORE, type OcpiStore } from '../store/OcpiStore';
import { OcpiAuthGuard, OcpiTokens, type OcpiCaller } from './OcpiAuthGuard';
import { OcpiExceptionFilter } from './OcpiExceptionFilter';

type OcpiRequest = { ocpi: OcpiCaller };

/**
 * The CPO's OCPI 2.2.1 endpoints, under /ocpi/cpo: versions, version details, credentials and the
 * CDRs sender interface. OCPI authentication (not the API keys), answers and errors in the OCPI envelope.
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

  /** CDRs sender interface (mod_cdrs, GET): the caller's own CDRs only, in creation order, paginated. Source: the OCPI store. */
  @Get(`${OCPI_VERSION}/cdrs`)
  @OcpiTokens('C')
  async cdrs(@Req() req: OcpiRequest, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: Response) {
    const q = readCdrListQuery(query);
    const page = await this.store.cdrPage(req.ocpi.party.emspId, { offset: q.offset, limit: q.limit, from: q.dateFrom, to: q.dateTo });
    res.setHeader('X-Total-Count', String(page.total));
    res.setHeader('X-Limit', String(q.limit));
    const link = nextPageLink(ocpiUrls(this.settings).cdrs, q, page.items.length, page.total);
    if (link) res.setHeader('Link', link);
    return ocpiEnvelope(page.items);
  }
}
