import { isoUtcSeconds } from '../isoUtc';
import type { StationSigningKey } from '../station/StationSigningKey';
import {
  metrologyLogSignedText,
  type MetrologyLogEntry,
  type MetrologyLogEvent,
  type MetrologyLogMetadata,
} from './MetrologyLogEntry';

/**
 * The station's metrology log: append-only, its own sequence, every entry signed by the station key.
 * `retain` bounds how many entries stay readable in memory (`all()`); the sequence is never affected.
 * A fleet simulation streams entries out as they are written and keeps none.
 */
export class MetrologyLog {
  private readonly entries: MetrologyLogEntry[] = [];
  private seq = 0;

  constructor(
    private readonly stationId: string,
    private signingKey: () => StationSigningKey,
    /** Gets each entry and the station time it was written at, ms (`time` holds it to the second). */
    private readonly onAppend?: (e: MetrologyLogEntry, stationTimeMs: number) => void,
    private readonly retain = Infinity,
  ) {}

  append(stationTimeMs: number, event: MetrologyLogEvent, metadata: MetrologyLogMetadata = null): MetrologyLogEntry {
    const base = {
      stationId: this.stationId,
      seq: ++this.seq,
      time: isoUtcSeconds(stationTimeMs),
      event,
      metadata,
    };
    const signedText = metrologyLogSignedText(base);
    const signature = this.signingKey().signTextBase64(signedText);
    const entry: MetrologyLogEntry = { stationId: base.stationId, seq: base.seq, time: base.time, event, metadata, signedText, signature, algorithm: 'ECDSA-secp384r1-SHA256' };
    if (this.retain > 0) {
      this.entries.push(entry);
      if (this.entries.length > this.retain) this.entries.shift();
    }
    this.onAppend?.(entry, stationTimeMs);
    return entry;
  }

  all(): readonly MetrologyLogEntry[] {
    return this.entries;
  }

  events(): MetrologyLogEvent[] {
    return this.entries.map((e) => e.event);
  }
}
