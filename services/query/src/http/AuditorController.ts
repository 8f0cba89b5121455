import { BadRequestException, Controller, Get, Inject, Param, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { Ledger, readAll, StreamId, STREAM_PREFIX } from '@metrology-ledger/ledger';
import { Roles } from '../auth/RolesGuard';

const STATION = /^[\w.:*-]{1,100}$/;

/** What market surveillance reads. Read only: no write endpoint admits the auditor role. */
@ApiTags('auditor')
@ApiBearerAuth()
@Roles('auditor')
@Controller('auditor/stations/:stationId')
export class AuditorController {
  constructor(@Inject(Ledger) private readonly ledger: Ledger) {}

  /**
   * The station's complete ledger as NDJSON, streamed stream by stream (keys, datasets in pagination
   * order, rejections, metrology log, faults), each line an event with its hash.
   */
  @Get('ledger')
  async export(@Param('stationId') stationId: string, @Res() res: Response): Promise<void> {
    check(stationId);
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
    check(stationId);
    return (await this.ledger.events(StreamId.metrologyLog(stationId))).flatMap((e) => {
      if (e.type !== 'MetrologyLogEntryRecorded') return [];
      const signed = JSON.parse(e.data.signedText) as { metadata?: unknown };
      return [{ seq: e.data.seq, time: e.data.time, event: e.data.event, metadata: signed.metadata ?? null, verdict: e.data.verification.verdict, signedText: e.data.signedText, signature: e.data.signature }];
    });
  }

  /** Packets that were received and not recorded as datasets, verbatim, with the reason. */
  @Get('rejections')
  async rejections(@Param('stationId') stationId: string) {
    check(stationId);
    return (await this.ledger.events(StreamId.rejections(stationId))).flatMap((e) => (e.type === 'DatasetRejected' ? [e.data] : []));
  }

  /** Same counter, different validly signed bytes: every one of them is kept. */
  @Get('conflicts')
  async conflicts(@Param('stationId') stationId: string) {
    check(stationId);
    const out = [];
    for (const streamId of await this.ledger.store.streams(`${STREAM_PREFIX.datasets}${stationId}-`)) {
      for (const e of await this.ledger.events(streamId)) if (e.type === 'ConflictReceived') out.push({ streamId, ...e.data });
    }
    return out;
  }

  @Get('keys')
  async keys(@Param('stationId') stationId: string) {
    check(stationId);
    return (await this.ledger.events(StreamId.keys(stationId))).flatMap((e) => (e.type === 'StationKeyRegistered' ? [e.data] : []));
  }

  @Get('gaps')
  gaps(@Param('stationId') stationId: string) {
    check(stationId);
    return this.ledger.gaps(stationId);
  }

  @Get('chain')
  async chain(@Param('stationId') stationId: string) {
    check(stationId);
    const results = await Promise.all(
      [`${STREAM_PREFIX.datasets}${stationId}-`, StreamId.rejections(stationId), StreamId.metrologyLog(stationId), StreamId.keys(stationId), StreamId.faults(stationId)].map((p) => this.ledger.verifyChains(p)),
    );
    const broken = results.flatMap((r) => r.broken);
    return { ok: broken.length === 0, streams: results.reduce((n, r) => n + r.streams, 0), events: results.reduce((n, r) => n + r.events, 0), broken };
  }
}

function check(stationId: string): void {
  if (!STATION.test(stationId)) throw new BadRequestException('stationId: 1-100 characters of letters, digits, . : * _ -');
}
