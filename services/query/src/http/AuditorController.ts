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
