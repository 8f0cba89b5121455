import { Body, ConflictException, Controller, Get, GoneException, HttpException, Inject, NotFoundException, Param, Post, Req, Res, UnprocessableEntityException } from '@nestjs/common';
import { ApiBearerAuth, ApiExcludeEndpoint, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { Principal } from '../auth/Credential';
import { Public, Roles } from '../auth/RolesGuard';
import { provenSession, type ProvenSession } from '../domain/provenSession';
import { SafeXmlWriter } from '../export/SafeXmlWriter';
import { ReceiptCapability } from '../receipts/ReceiptCapability';
import { RECEIPT_CSP, renderReceiptHtml } from '../receipts/renderReceiptHtml';
import { SESSION_STORE, type SessionStore } from '../readmodel/SessionStore';
import { ReceiptRequestDto } from './ReceiptRequestDto';
import { assertTransactionId } from './transactionId';

const DAY = 86_400;

/**
 * Duties 3 and 5: the customer's proof of a billed session. The eMSP asks for a receipt link (its own
 * sessions only); the link is a capability that expires, so it can be handed to the customer without
 * a key: a printable HTML page and the SAFE XML to download. Only for a session whose packet exists,
 * verifies, is not in conflict and gives an energy figure (duty 7), checked again at every opening.
 */
@ApiTags('eMSP')
@Controller()
export class ReceiptController {
  constructor(
    @Inject(SESSION_STORE) private readonly sessions: SessionStore,
    @Inject(ReceiptCapability) private readonly capability: ReceiptCapability,
  ) {}

  /** A receipt link for one own session (`days`: 1-90, default 30). Source: read model. */
  @ApiBearerAuth()
  @Roles('emsp')
  @Post('emsp/receipts')
  async create(@Body() body: ReceiptRequestDto, @Req() req: { principal: Principal }) {
    assertTransactionId(body.transactionId);
    const own = await this.sessions.byTransaction(body.transactionId, req.principal.emspId);
    const found = proven(provenSession(body.stationId === undefined ? own : own.filter((s) => s.stationId === body.stationId)));
    const expires = Math.floor(Date.now() / 1000) + (body.days ?? 30) * DAY;
    const token = this.capability.issue({ streamId: found.session.streamId, counter: found.session.counter, emspId: req.principal.emspId!, expires });
    return { url: `/receipts/${token}`, safeXmlUrl: `/receipts/${token}/safe.xml`, expiresAt: new Date(expires * 1000).toISOString() };
  }

  /** The printable receipt (no key: the link is the permission). */
  @ApiExcludeEndpoint()
  @Public()
  @Get('receipts/:token')
  async page(@Param('token') token: string, @Res() res: FastifyReply) {
    const { found, expires } = await this.open(token);
    await res.header('Content-Security-Policy', RECEIPT_CSP).type('text/html; charset=utf-8').send(renderReceiptHtml(found.session, found.kWh.text, { safeXml: `${token}/safe.xml`, verify: '/verify' }, new Date(expires * 1000)));
  }

  /** The session's SAFE XML, for the transparency software. */
  @ApiExcludeEndpoint()
  @Public()
  @Get('receipts/:token/safe.xml')
  async safeXml(@Param('token') token: string, @Res() res: FastifyReply) {
    const { found } = await this.open(token);
    await res
      .header('Content-Disposition', `attachment; filename="receipt-${found.session.pagination.replace(/[^A-Za-z0-9_-]/g, '_')}.xml"`)
      .type('application/xml')
      .send(SafeXmlWriter.document([found.session]));
  }

  private async open(token: string) {
    const read = this.capability.read(token, Math.floor(Date.now() / 1000));
    if (!read.ok && read.reason === 'expired') throw new GoneException({ statusCode: 410, reason: 'expired', message: 'this receipt link has expired: ask your eMSP for a new one' });
    if (!read.ok) throw new NotFoundException({ statusCode: 404, message: 'no such receipt' });
    const s = await this.sessions.get(read.grant.streamId, read.grant.counter);
    if (!s || s.emspId !== read.grant.emspId) throw new NotFoundException({ statusCode: 404, message: 'no such receipt' });
    return { found: proven(provenSession([s])), expires: read.grant.expires };
  }
}

/** The refusals of `provenSession` as HTTP answers, with the reason; no figure. */
function proven(p: ProvenSession): Extract<ProvenSession, { ok: true }> {
  if (p.ok) return p;
  const body = { reason: p.reason, message: `no receipt: ${p.message}` };
  const errors: Record<typeof p.reason, () => HttpException> = {
    missing: () => new NotFoundException({ statusCode: 404, ...body }),
    ambiguous: () => new ConflictException({ statusCode: 409, ...body }),
    conflict: () => new ConflictException({ statusCode: 409, ...body }),
    invalid: () => new UnprocessableEntityException({ statusCode: 422, ...body }),
    'no-energy': () => new UnprocessableEntityException({ statusCode: 422, ...body }),
  };
  throw errors[p.reason]();
}
