import { Controller, Get, Inject, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { exportBundle, Ledger } from '@metrology-ledger/ledger';
import { Roles } from '../auth/RolesGuard';
import { DATASET_CONTENT_TYPES, datasetExportLines } from '../export/datasetExportLines';
import { stationLedgerLines } from '../export/stationLedgerLines';
import { SESSION_STORE, type SessionStore } from '../readmodel/SessionStore';
import { collectAuditReport } from '../report/collectAuditReport';
import { renderAuditReportCsv } from '../report/renderAuditReportCsv';
import { AUDIT_REPORT_CSP, renderAuditReportHtml } from '../report/renderAuditReportHtml';
import { assertStationId } from './assertStationId';
import { BundleQueryDto, DatasetsQueryDto, ReportQueryDto } from './PeriodQueryDto';
import { streamFrom } from './streamFrom';
import { writeLines } from './writeLines';

/** What an auditor downloads for a station: exports and the audit report, streamed or folded while reading. */
@ApiTags('auditor')
@ApiBearerAuth()
@Roles('auditor')
@Controller('auditor/stations/:stationId')
export class AuditorExportController {
  constructor(
    @Inject(Ledger) private readonly ledger: Ledger,
    @Inject(SESSION_STORE) private readonly sessions: SessionStore,
  ) {}

  /**
   * Every packet of the station in a period, in pagination order, with key and verdict: NDJSON, CSV,
   * or SAFE XML (the billing-period export an authority may demand). Streamed row by row.
   * Source: read model (`SessionStore.stationRows`).
   */
  @Get('datasets')
  async datasets(@Param('stationId') stationId: string, @Query() q: DatasetsQueryDto, @Res() res: FastifyReply): Promise<void> {
    assertStationId(stationId);
    const format = q.format ?? 'ndjson';
    await writeLines(streamFrom(res, DATASET_CONTENT_TYPES[format]), datasetExportLines(this.sessions.stationRows(stationId, q.from, q.to), format));
  }

  /**
   * Audit report with charts (HTML), or the same data as JSON or CSV. Source: read model (sessions)
   * and ledger API (`gaps`, `datasetStreams`, `stationStream`, `eventsOf`), folded while reading.
   */
  @Get('report')
  async report(@Param('stationId') stationId: string, @Query() q: ReportQueryDto, @Res() res: FastifyReply): Promise<void> {
    assertStationId(stationId);
    const report = await collectAuditReport(this.ledger, this.sessions, { stationId, from: q.from, to: q.to });
    const format = q.format ?? 'html';
    if (format === 'json') {
      await res.send(report);
    } else if (format === 'csv') {
      await writeLines(streamFrom(res, 'text/csv; charset=utf-8'), renderAuditReportCsv(report));
    } else {
      await res.header('Content-Security-Policy', AUDIT_REPORT_CSP).type('text/html; charset=utf-8').send(renderAuditReportHtml(report));
    }
  }

  /**
   * The evidence bundle of a station and period, one JSON document to verify offline with
   * `ledger verify-bundle`: a checkpoint signed now by the ledger's key, every stream of the station
   * with its hash chain and the RFC 9162 inclusion proof of its head, the packets in pagination order
   * (NDJSON with each event's hash, and SAFE XML), key history, metrology log and completeness
   * statement; with `after`, the consistency proof from an older checkpoint. 503 when the ledger has
   * no signing key. Source: ledger API (`stationStreams`, `checkpoints.attest`, `read`).
   */
  @Get('bundle')
  async bundle(@Param('stationId') stationId: string, @Query() q: BundleQueryDto, @Res() res: FastifyReply): Promise<void> {
    assertStationId(stationId);
    const bundle = await exportBundle(this.ledger, { stationId, from: q.from, to: q.to, ...(q.after !== undefined ? { afterTreeSize: Number(q.after) } : {}) });
    await res
      .header('Content-Disposition', `attachment; filename="bundle-${stationId}-${bundle.checkpoint.statement.sequence}.json"`)
      .type('application/json')
      .send(`${JSON.stringify(bundle)}\n`);
  }

  /**
   * The station's complete ledger as NDJSON, stream by stream (keys, datasets in pagination order,
   * rejections, metrology log, faults, commissioning, station history), each line an event with its hashes and its data
   * exactly as hashed. Source: ledger API (`stationStreams`, `eventsOf`), streamed.
   */
  @Get('ledger')
  async export(@Param('stationId') stationId: string, @Res() res: FastifyReply): Promise<void> {
    assertStationId(stationId);
    await writeLines(streamFrom(res, 'application/x-ndjson'), stationLedgerLines(this.ledger, stationId));
  }
}
