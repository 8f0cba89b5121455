import type { RecordedEvent } from '@metrology-ledger/ledger';

/** One NDJSON line: the value as JSON, then a line feed (JSON.stringify never writes a raw line break). */
export function ndjsonLine(value: unknown): string {
  return `${JSON.stringify(value)}\n`;
}

/**
 * A ledger event as one NDJSON line with its chain fields. The data text is embedded exactly as stored
 * (the hash covers that text), so an auditor can recompute every hash from the export; a data text
 * holding a line break (not written by this ledger) travels as the string `dataText` instead.
 */
export function ledgerEventLine(e: RecordedEvent): string {
  const head = `{"streamId":${JSON.stringify(e.streamId)},"revision":${e.revision},"type":${JSON.stringify(e.event.type)},"recordedAt":${JSON.stringify(e.recordedAt)},"prevHash":${JSON.stringify(e.prevHash)},"hash":${JSON.stringify(e.hash)}`;
  return /[\r\n\u2028\u2029]/.test(e.dataText) ? `${head},"dataText":${JSON.stringify(e.dataText)}}\n` : `${head},"data":${e.dataText}}\n`;
}
