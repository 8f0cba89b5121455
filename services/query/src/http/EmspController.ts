import { ConflictException, Controller, Get, Inject, NotFoundException, Param, Query, Req, Res, UnprocessableEntityException } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { writeOcpiSignedData } from '@metrology-ledger/ocmf';
import type { Principal } from '../auth/Credential';
import { Roles } from '../auth/RolesGuard';
import type { SessionView } from '../domain/SessionView';
import { sessionSummary } from '../domain/sessionSummary';
import { SafeXmlWriter } from '../export/SafeXmlWriter';
import { SESSION_STORE, type SessionStore } from '../readmodel/SessionStore';
import { SessionQueryDto, SessionsQueryDto, SignedDataQueryDto } from './SessionsQueryDto';
import { assertTransactionId } from './transactionId';

const HOW_TO_VERIFY =
  'Open the SAFE XML of this session (GET …/signed-data?format=safe-xml) in the SAFE e.V. transparency software 1.3 (https://www.safe-ev.de/de/transparenzsoftware.php); it holds the signed OCMF dataset and the station public key.';

/** What an eMSP reads: only its own sessions, the eMSP id coming from its credential. */
@ApiTags('eMSP')
@ApiBearerAuth()
@Roles('emsp')
@Controller('emsp/sessions')
export class EmspController {
  constructor(@Inject(SESSION_STORE) private readonly sessions: SessionStore) {}

  /** Own sessions, page by page (a cursor that does not decode is answered 400 by the filter). Source: read model. */
  @Get()
  async list(@Query() q: SessionsQueryDto, @Req() req: { principal: Principal }) {
    const page = await this.sessions.page({ emspId: req.principal.emspId!, stationId: q.stationId, from: q.from, to: q.to, cursor: q.cursor, limit: q.limit ?? 100 });
    return { items: page.items.map(sessionSummary), nextCursor: page.nextCursor };
  }

  /**
   * One own session (a list: a station that reused a transaction id has several). `stationId` chooses
   * the station when the eMSP has this transaction id at more than one (otherwise 409
   * `ambiguous-transaction`). Source: read model.
   */
  @Get(':transactionId')
  async one(@Param('transactionId') tx: string, @Query() q: SessionQueryDto, @Req() req: { principal: Principal }) {
    const found = await this.atOneStation(tx, req.principal, q.stationId);
    if (found.length === 0) throw notFound();
    return found.map(sessionSummary);
  }

  /** The signed packet: raw OCMF, SAFE transparency-software XML, or OCPI 2.2.1 SignedData. Source: read model. */
  @Get(':transactionId/signed-data')
  async signedData(@Param('transactionId') tx: string, @Query() q: SignedDataQueryDto, @Req() req: { principal: Principal }, @Res() res: FastifyReply) {
    const found = await this.atOneStation(tx, req.principal, q.stationId);
    if (found.length === 0) throw notFound();
    if (found.length > 1) throw reusedAtStation(found);
    const s = found[0];
    const format = q.format ?? 'ocmf';
    if (format === 'ocmf') return res.type('text/plain; charset=utf-8').send(s.ocmf);
    // The service's one XML writer: characters XML 1.0 forbids (an unsigned CSMS transaction id) become U+FFFD.
    if (format === 'safe-xml') return res.type('application/xml').send(SafeXmlWriter.document([s]));
    return res.send(writeOcpiSignedData([{ nature: 'End', ocmf: s.ocmf }], s.publicKey));
  }

  /**
   * What a bill may use. No substitute values: a figure only for a session whose packet exists,
   * verified, and is not in conflict; otherwise the reason and no number. Source: read model.
   */
  @Get(':transactionId/billing')
  async billing(@Param('transactionId') tx: string, @Query() q: SessionQueryDto, @Req() req: { principal: Principal }) {
    const found = await this.atOneStation(tx, req.principal, q.stationId);
    if (found.length === 0) throw new NotFoundException({ statusCode: 404, reason: 'missing', message: 'no signed packet is recorded for this transaction: no energy figure may be billed' });
    if (found.length > 1) throw reusedAtStation(found);
    if (found[0].status === 'conflict') {
      throw new ConflictException({ statusCode: 409, reason: 'conflict', message: 'more than one validly signed packet exists for this session: no figure until the conflict is resolved' });
    }
    const s = found[0];
    if (s.verdict !== 'valid') throw new UnprocessableEntityException({ statusCode: 422, reason: 'invalid', message: 'the packet does not verify: no figure' });
    if (s.energy === null) throw new UnprocessableEntityException({ statusCode: 422, reason: 'no-energy', message: `no energy figure: ${s.energyWithheld}` });
    return {
      transactionId: s.transactionId,
      stationId: s.stationId,
      connector: s.connector,
      start: s.startTime,
      end: s.endTime,
      energy: s.energy,
      unit: s.unit,
      compensated: true,
      cumulatedCableLoss: s.cumulatedLoss,
      identification: s.identification,
      pagination: s.pagination,
      verdict: s.verdict,
      verifier: s.verifier,
      howToVerify: HOW_TO_VERIFY,
    };
  }

  /**
   * The eMSP's own sessions with this transaction id at one station (OCPP 2.0.1 transaction ids are
   * unique per station only): the station given, or the only one. Several stations and none given →
   * 409 `ambiguous-transaction` naming them (the eMSP's own sessions: nothing is disclosed); one is
   * never picked silently. Another eMSP's session is not found, exactly like a missing one.
   */
  private async atOneStation(tx: string, p: Principal, stationId?: string): Promise<SessionView[]> {
    assertTransactionId(tx);
    const own = await this.sessions.byTransaction(tx, p.emspId);
    const found = stationId === undefined ? own : own.filter((s) => s.stationId === stationId);
    const stationIds = [...new Set(found.map((s) => s.stationId))];
    if (stationIds.length > 1) {
      throw new ConflictException({
        statusCode: 409,
        reason: 'ambiguous-transaction',
        stationIds,
        message: `your sessions at ${stationIds.length} stations have this transaction id: choose one with ?stationId=`,
      });
    }
    return found;
  }
}

function notFound(): NotFoundException {
  return new NotFoundException({ statusCode: 404, message: 'no session with this transaction id for your eMSP' });
}

/** One station recorded several sessions (different counters) under one transaction id: none is picked. */
function reusedAtStation(found: SessionView[]): ConflictException {
  return new ConflictException({
    statusCode: 409,
    reason: 'conflict',
    message: `station ${found[0].stationId} recorded ${found.length} sessions with this transaction id (pagination ${found.map((s) => s.pagination).join(', ')}): no packet is chosen`,
  });
}
