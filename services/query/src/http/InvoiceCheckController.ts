import { Body, Controller, HttpCode, Inject, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Principal } from '../auth/Credential';
import { Roles } from '../auth/RolesGuard';
import { checkInvoiceLine, type InvoiceCheck, type InvoiceLine } from '../domain/checkInvoiceLine';
import { SESSION_STORE, type SessionStore } from '../readmodel/SessionStore';
import { InvoiceBatchDto, InvoiceLineDto } from './InvoiceCheckDto';

/**
 * Duty 4 (MessEG §33 (3)): an eMSP checks invoice lines against the signed packets of its own
 * sessions. Every answer is a verdict with the evidence (the packet, its key, what it proves) or a
 * refusal with the reason; a line billing energy no packet proves is refused. Source: read model.
 */
@ApiTags('eMSP')
@ApiBearerAuth()
@Roles('emsp')
@Controller('emsp/invoice-check')
export class InvoiceCheckController {
  constructor(@Inject(SESSION_STORE) private readonly sessions: SessionStore) {}

  @Post()
  @HttpCode(200)
  async one(@Body() line: InvoiceLineDto, @Req() req: { principal: Principal }) {
    return { line, ...(await this.check(line, req.principal)) };
  }

  /** A whole invoice run; the answer holds one result per line, in order, and the counts. */
  @Post('batch')
  @HttpCode(200)
  async batch(@Body() body: InvoiceBatchDto, @Req() req: { principal: Principal }) {
    const results: ({ line: InvoiceLineDto } & InvoiceCheck)[] = [];
    for (const line of body.lines) results.push({ line, ...(await this.check(line, req.principal)) });
    const count = (v: string) => results.filter((r) => r.verdict === v).length;
    return { results, matched: count('match'), mismatched: count('mismatch'), refused: count('refused') };
  }

  private async check(line: InvoiceLine, p: Principal) {
    const own = await this.sessions.byTransaction(line.transactionId, p.emspId);
    return checkInvoiceLine(line, line.stationId === undefined ? own : own.filter((s) => s.stationId === line.stationId));
  }
}
