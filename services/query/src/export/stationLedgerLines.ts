import type { Ledger } from '@metrology-ledger/ledger';
import { ledgerEventLine } from './ndjsonLines';

/**
 * A station's complete ledger as NDJSON lines, stream by stream in the ledger's export order (keys,
 * datasets in pagination order, rejections, metrology log, faults, commissioning, station history), read page by page
 * through `stationStreams` and `eventsOf`: only this station's streams, whatever ids share its prefix.
 */
export async function* stationLedgerLines(ledger: Ledger, stationId: string): AsyncGenerator<string> {
  for (const streamId of await ledger.stationStreams(stationId)) {
    for await (const e of ledger.eventsOf(streamId)) yield ledgerEventLine(e);
  }
}
