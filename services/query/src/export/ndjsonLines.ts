import type { RecordedEvent } from '@metrology-ledger/ledger';

/**
 * A ledger event as one NDJSON line with its chain fields. The data text is embedded exactly as stored
 * (the hash covers that text), so an auditor can recompute every hash from the export; a data text
 * holding a line break (not written by this ledger) travels as the string `dataText` instead.
 */
export function ledgerEventLine(e: RecordedEvent): string {
  // A row that is not JSON (edited behind the ledger's back) keeps its stored type and goes out as
  // quoted text with the reason, so the line stays valid JSON and the auditor sees what is stored.
  const unreadable = e.event.type === 'UnreadableEvent' ? e.event.data : undefined;
  const type = unreadable ? unreadable.storedType : e.event.type;
  const head = `{"streamId":${JSON.stringify(e.streamId)},"revision":${e.revision},"type":${JSON.stringify(type)},"recordedAt":${JSON.stringify(e.recordedAt)},"prevHash":${JSON.stringify(e.prevHash)},"hash":${JSON.stringify(e.hash)}`;
  if (unreadable) return `${head},"unreadable":${JSON.stringify(unreadable.reason)},"dataText":${JSON.stringify(e.dataText)}}\n`;
  return /[\r\n\u2028\u2029]/.test(e.dataText) ? `${head},"dataText":${JSON.stringify(e.dataText)}}\n` : `${head},"data":${e.dataText}}\n`;
}
