import { Controller, Get, Inject, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Ledger, type RecordedEvent } from '@metrology-ledger/ledger';
import { Roles } from '../auth/RolesGuard';
import { MAX_PAGE_BYTES, MAX_SCANNED_PER_PAGE, pageOfStreams, type Page } from '../paging/pageOfStreams';
import { conflictView, historyView, keyView, metrologyLogView, rejectionView } from '../reads/recordViews';
import { assertStationId } from './assertStationId';
import { HistoryQueryDto } from './HistoryQueryDto';
import { PageQueryDto } from './PageQueryDto';
import { CheckpointQueryDto } from './PeriodQueryDto';
import { RejectionsQueryDto } from './RejectionsQueryDto';

/** Events read per ledger call: few where one event may be a 1 MiB raw message, more elsewhere. */
const LARGE_EVENTS = 16;
const SMALL_EVENTS = 200;

/**
 * What market surveillance reads of a station's records, page by page (`?after=<nextCursor>&limit`,
 * at most 500 items and about 4 MiB a page). Read only: no write endpoint admits the auditor role.
 * Every endpoint reads the ledger API (never the store, never a stream-name prefix).
 */
@ApiTags('auditor')
@ApiBearerAuth()
@Roles('auditor')
@Controller('auditor')
export class AuditorController {
  constructor(@Inject(Ledger) private readonly ledger: Ledger) {}

  /** The signed metrology log, in recorded order. Source: ledger API, `stationStream(id, 'metrology')`, paged `read`. */
  @Get('stations/:stationId/metrology-log')
  metrologyLog(@Param('stationId') stationId: string, @Query() q: PageQueryDto) {
    assertStationId(stationId);
    return this.page([this.ledger.stationStream(stationId, 'metrology')], q, metrologyLogView, SMALL_EVENTS);
  }

  /**
   * Packets that were received and not recorded as datasets, verbatim, with the reason (or, with
   * `includeRaw=false`, an excerpt, size and SHA-256). Source: ledger API, `stationStream(id, 'rejections')`, paged `read`.
   */
  @Get('stations/:stationId/rejections')
  rejections(@Param('stationId') stationId: string, @Query() q: RejectionsQueryDto) {
    assertStationId(stationId);
    return this.page([this.ledger.stationStream(stationId, 'rejections')], q, rejectionView(q.includeRaw !== 'false'), LARGE_EVENTS);
  }

  /** Rejected messages that named no valid station id. Source: ledger API, `unattributedRejectionsStream()`, paged `read`. */
  @Get('unattributed-rejections')
  unattributedRejections(@Query() q: RejectionsQueryDto) {
    return this.page([this.ledger.unattributedRejectionsStream()], q, rejectionView(q.includeRaw !== 'false'), LARGE_EVENTS);
  }

  /**
   * Same counter, different validly signed bytes: every one of them is kept. Source: ledger API,
   * `datasetStreams(id)` (this station's only), paged `read`; a page may stop early after 10 000 events
   * read without a conflict, with a nextCursor to go on.
   */
  @Get('stations/:stationId/conflicts')
  async conflicts(@Param('stationId') stationId: string, @Query() q: PageQueryDto) {
    assertStationId(stationId);
    return this.page(await this.ledger.datasetStreams(stationId), q, conflictView, SMALL_EVENTS);
  }

  /** The station's key history with validity. Source: ledger API, `stationStream(id, 'keys')`, paged `read`. */
  @Get('stations/:stationId/keys')
  keys(@Param('stationId') stationId: string, @Query() q: PageQueryDto) {
    assertStationId(stationId);
    return this.page([this.ledger.stationStream(stationId, 'keys')], q, keyView, SMALL_EVENTS);
  }

  /**
   * What the station reported of itself over OCPP, in the order the ledger received it (never by
   * pagination counter or station clock): boots with vendor, model and firmware version (and the
   * version before when it changed), firmware update status, security events, log uploads; each with
   * its receipt (record id, frame SHA-256, Kafka position). `kind` narrows to one of them. Source:
   * ledger API, `stationStream(id, 'history')`, paged `read`.
   */
  @Get('stations/:stationId/history')
  history(@Param('stationId') stationId: string, @Query() q: HistoryQueryDto) {
    assertStationId(stationId);
    return this.page([this.ledger.stationStream(stationId, 'history')], q, historyView(q.kind), SMALL_EVENTS);
  }

  /**
   * OCPP 2.0.1 seqNos that never arrived, per transaction (a lost OCPP message is reported like a gap):
   * ranges from 0 to the highest seen, with the count. Source: ledger API, `seqNoGaps(id)`.
   */
  @Get('stations/:stationId/seqno-gaps')
  async seqNoGaps(@Param('stationId') stationId: string) {
    assertStationId(stationId);
    const [station] = await this.ledger.seqNoGaps(stationId);
    return station;
  }

  /** Open gaps per key stream, as counter ranges with the count. Source: ledger API, `gaps(id)`. */
  @Get('stations/:stationId/gaps')
  gaps(@Param('stationId') stationId: string) {
    assertStationId(stationId);
    return this.ledger.gaps(stationId);
  }

  /** Hash-chain check of every stream of the station, streamed. Source: ledger API, `verifyStationChains(id)`. */
  @Get('stations/:stationId/chain')
  async chain(@Param('stationId') stationId: string) {
    assertStationId(stationId);
    const r = await this.ledger.verifyStationChains(stationId);
    return { ok: r.broken.length === 0, ...r };
  }

  /**
   * The ledger's public key and a checkpoint signed now over every stream head (RFC 9162 tree head):
   * what an auditor keeps to check later bundles against (`verify-bundle --after`). With `from=<tree
   * size>` of an older checkpoint, also the consistency proof from it. 503 without a signing key.
   * Source: ledger API (`checkpoints.attest`).
   */
  @Get('checkpoint')
  async checkpoint(@Query() q: CheckpointQueryDto) {
    const a = await this.ledger.checkpoints.attest([], q.from === undefined ? undefined : Number(q.from));
    return { ledgerKey: a.checkpoint.publicKey, checkpoint: a.checkpoint, ...(a.consistency ? { consistency: a.consistency } : {}) };
  }

  private page<T>(streams: string[], q: PageQueryDto, select: (e: RecordedEvent) => T | undefined, chunk: number): Promise<Page<T>> {
    return pageOfStreams(this.ledger, streams, q.after, { limit: q.limit ?? 100, maxBytes: MAX_PAGE_BYTES, maxScanned: MAX_SCANNED_PER_PAGE, chunk }, select);
  }
}
