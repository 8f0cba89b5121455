import type { MetrologyLogFields } from './MetrologyLogEntry';

/**
 * The text a station signs for an entry: the JSON of stationId, seq, time, event and metadata, in
 * that order, without spaces. Whoever writes an entry writes this text; whoever reads one reads the
 * fields from the text (what is shown is what was signed).
 */
export function metrologyLogSignedText(e: MetrologyLogFields): string {
  return JSON.stringify({ stationId: e.stationId, seq: e.seq, time: e.time, event: e.event, metadata: e.metadata });
}
