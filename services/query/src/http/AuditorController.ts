import { BadRequestException, Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import { ApiPropertyOptional } from '@nestjs/swagger';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Ledger, readAll, StreamId, STREAM_PREFIX } from '@metrology-ledger/ledger';
import { Roles } from '../auth/RolesGuard';
import { assertStationId } from './assertStationId';
import { buildAuditReport } from '../domain/AuditReport';
import { renderAuditReportCsv, renderAuditReportHtml } from '../domain/renderAuditReport';
import type { SessionView } from '../domain/SessionView';
import { SESSION_STORE, type SessionStore } from '../readmodel/SessionStore';

export class PeriodQueryDto {
  @ApiPropertyOptional() @IsOptional() @IsISO8601() from?: string;
  @ApiPropertyOptional() @IsOptional() @IsISO8601() to?: string;
  @ApiPropertyOptional({ enum: ['ndjson', 'csv', 'safe-xml', 'html', 'json'] }) @IsOptional() @IsIn(['ndjson', 'csv', 'safe-xml', 'html', 'json']) format?: string;
}

const CSV_COLUMNS = ['stationId', 'streamId', 'publicKey', 'counter', 'pagination', 'transactionId', 'emspId', 'connector', 'startTime', 'endTime', 'energy', 'unit', 'status', 'verdict', 'verifier'] as const;
const csvCell = (v: unknown) => (v === null || v === undefined ? '' : /[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
const xml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);


/** What market surveillance reads. Read only: no write endpoint admits the auditor role. */
@ApiTags('auditor')
@ApiBearerAuth()
@Roles('auditor')
@Controller('auditor/stations/:stationId')
export class AuditorController {
  constructor(
    @Inject(Ledger) private readonly ledger: Ledger,
    @Inject(SESSION_STORE) private readonly sessions: SessionStore,
  ) {}

  /**
   * Every packet of the station in a period, in pagination order, with key and verdict: NDJSON, CSV,
   * or SAFE XML (the billing-period export an authority may demand). Streamed row by row.
   */
  @Get('datasets')
  async datasets(@Param('stationId') stationId: string, @Query() q: PeriodQueryDto, @Res() res: Response): Promise<void> {
    assertStationId(stationId);
    const format = q.format ?? 'ndjson';
    if (!['ndjson', 'csv', 'safe-xml'].includes(format)) throw new BadRequestException('format: ndjson, csv or safe-xml');
    const write = async (chunk: string) => {
      if (!res.write(chunk)) await new Promise((r) => res.once('drain', r));
    };
    const rows: AsyncIterable<SessionView> = this.sessions.station(stationId, q.from, q.to);
    if (format === 'ndjson') {
      res.type('application/x-ndjson');
      for await (const s of rows) await write(`${JSON.stringify(s)}\n`);
    } else if (format === 'csv') {
      res.type('text/csv');
      await write(`${CSV_COLUMNS.join(',')}\n`);
      for await (const s of rows) await write(`${CSV_COLUMNS.map((c) => csvCell(s[c])).join(',')}\n`);
    } else {
      res.type('application/xml');
      await write('<?xml version="1.0" encoding="UTF-8"?>\n<values>\n');
      for await (const s of rows) {
        for (const ocmf of [s.ocmf, ...s.conflictingOcmf]) {
          await write(`<value transactionId="${xml(s.transactionId ?? '')}" context="Transaction.End"><signedData format="OCMF" encoding="plain">${xml(ocmf)}</signedData><publicKey encoding="hex">${xml(s.publicKey)}</publicKey></value>\n`);
        }
      }
      await write('</values>\n');
    }
    res.end();
  }

  /** Audit report with charts (HTML), or the same data as JSON or CSV. */
  @Get('report')
  async report(@Param('stationId') stationId: string, @Query() q: PeriodQueryDto, @Res() res: Response): Promise<void> {
    assertStationId(stationId);
    const format = q.format ?? 'html';
    if (!['html', 'json', 'csv'].includes(format)) throw new BadRequestException('format: html, json or csv');
    let duplicates = 0;
    for (const streamId of await this.ledger.store.streams(`${STREAM_PREFIX.datasets}${stationId}-`)) {
      for (const e of await this.ledger.events(streamId)) if (e.type === 'DuplicateReceived' && inPeriod(e.data.receipt.receivedAt, q)) duplicates++;
    }
    const rejectionCodes = (await this.ledger.events(StreamId.rejections(stationId))).flatMap((e) => (e.type === 'DatasetRejected' && inPeriod(e.data.receipt.receivedAt, q) ? [e.data.code] : []));
    const metrologyLog = (await this.ledger.events(StreamId.metrologyLog(stationId))).flatMap((e) =>
      e.type === 'MetrologyLogEntryRecorded' && inPeriod(e.data.time, q) ? [{ time: e.data.time, event: e.data.event, metadata: (JSON.parse(e.data.signedText) as { metadata?: unknown }).metadata ?? null }] : [],
    );
    const sessions: SessionView[] = []; // one station and period: bounded
    for await (const s of this.sessions.station(stationId, q.from, q.to)) sessions.push(s);
    const report = buildAuditReport({ stationId, from: q.from, to: q.to, sessions, gaps: await this.ledger.gaps(stationId), rejectionCodes, duplicates, metrologyLog });
    if (format === 'json') res.json(report);
    else if (format === 'csv') res.type('text/csv').send(renderAuditReportCsv(report));
    else res.type('text/html').send(renderAuditReportHtml(report));
  }

  /**
   * The station's complete ledger as NDJSON, streamed stream by stream (keys, datasets in pagination
   * order, rejections, metrology log, faults), each line an event with its hash.
   */
  @Get('ledger')
  async export(@Param('stationId') stationId: string, @Res() res: Response): Promise<void> {
    assertStationId(stationId);
    res.type('application/x-ndjson');
    const store = this.ledger.store;
    const streams = [
      StreamId.keys(stationId),
      ...(await store.streams(`${STREAM_PREFIX.datasets}${stationId}-`)),
      StreamId.rejections(stationId),
      StreamId.metrologyLog(stationId),
      StreamId.faults(stationId),
    ];
    for (const streamId of streams) {
      for await (const e of readAll(store, streamId)) {
        const line = `{"streamId":${JSON.stringify(streamId)},"revision":${e.revision},"type":${JSON.stringify(e.type)},"recordedAt":${JSON.stringify(e.recordedAt)},"hash":"${e.hash}","data":${e.dataText}}\n`;
        if (!res.write(line)) await new Promise((r) => res.once('drain', r));
      }
    }
    res.end();
  }

  @Get('metrology-log')
  async metrologyLog(@Param('stationId') stationId: string) {
    assertStationId(stationId);
    return (await this.ledger.events(StreamId.metrologyLog(stationId))).flatMap((e) => {
      if (e.type !== 'MetrologyLogEntryRecorded') return [];
      const signed = JSON.parse(e.data.signedText) as { metadata?: unknown };
      return [{ seq: e.data.seq, time: e.data.time, event: e.data.event, metadata: signed.metadata ?? null, verdict: e.data.verification.verdict, signedText: e.data.signedText, signature: e.data.signature }];
    });
  }

  /** Packets that were received and not recorded as datasets, verbatim, with the reason. */
  @Get('rejections')
  async rejections(@Param('stationId') stationId: string) {
    assertStationId(stationId);
    return (await this.ledger.events(StreamId.rejections(stationId))).flatMap((e) => (e.type === 'DatasetRejected' ? [e.data] : []));
  }

  /** Same counter, different validly signed bytes: every one of them is kept. */
  @Get('conflicts')
  async conflicts(@Param('stationId') stationId: string) {
    assertStationId(stationId);
    const out = [];
    for (const streamId of await this.ledger.store.streams(`${STREAM_PREFIX.datasets}${stationId}-`)) {
      for (const e of await this.ledger.events(streamId)) if (e.type === 'ConflictReceived') out.push({ streamId, ...e.data });
    }
    return out;
  }

  @Get('keys')
  async keys(@Param('stationId') stationId: string) {
    assertStationId(stationId);
    return (await this.ledger.events(StreamId.keys(stationId))).flatMap((e) => (e.type === 'StationKeyRegistered' ? [e.data] : []));
  }

  @Get('gaps')
  gaps(@Param('stationId') stationId: string) {
    assertStationId(stationId);
    return this.ledger.gaps(stationId);
  }

  @Get('chain')
  async chain(@Param('stationId') stationId: string) {
    assertStationId(stationId);
    const results = await Promise.all(
      [`${STREAM_PREFIX.datasets}${stationId}-`, StreamId.rejections(stationId), StreamId.metrologyLog(stationId), StreamId.keys(stationId), StreamId.faults(stationId)].map((p) => this.ledger.verifyChains(p)),
    );
    const broken = results.flatMap((r) => r.broken);
    return { ok: broken.length === 0, streams: results.reduce((n, r) => n + r.streams, 0), events: results.reduce((n, r) => n + r.events, 0), broken };
  }
}

function inPeriod(time: string, q: { from?: string; to?: string }): boolean {
  return (!q.from || time >= q.from) && (!q.to || time < q.to);
}

