import type { MetrologyLogFields } from './MetrologyLogEntry';

const q = JSON.stringify;

/**
 * The text a station signs for an entry: the JSON of stationId, seq, time, event and metadata, in
 * that order, without spaces. Whoever writes an entry writes this text; whoever reads one reads the
 * fields from the text (what is shown is what was signed).
 *
 * Written field by field (a fleet simulation writes millions of entries): exactly the text
 * `JSON.stringify` gives for that object; anything but the usual field types goes through it.
 */
export function metrologyLogSignedText(e: MetrologyLogFields): string {
  const { stationId, seq, time, event, metadata } = e;
  if (typeof stationId !== 'string' || typeof seq !== 'number' || !Number.isFinite(seq) || typeof time !== 'string' || typeof event !== 'string' || metadata === undefined) {
    return q({ stationId, seq, time, event, metadata });
  }
  return `{"stationId":${q(stationId)},"seq":${seq},"time":${q(time)},"event":${q(event)},"metadata":${metadata === null ? 'null' : q(metadata)}}`;
}
