import type { LedgerEvent } from './domain/LedgerEvent';
import type { StoredEvent } from './ports/EventStore';

/**
 * A stored event whose data text is not a JSON object (the store was edited behind the ledger's back;
 * the chain check names it too). Readers get it as this value instead of failing on the whole stream.
 */
export interface UnreadableEvent {
  type: 'UnreadableEvent';
  data: { storedType: string; reason: string };
}

/** The event of a stored row; a row whose data is not a JSON object is an UnreadableEvent, never an exception. */
export function parseStored(e: Pick<StoredEvent, 'type' | 'dataText'>): LedgerEvent | UnreadableEvent {
  try {
    const data: unknown = JSON.parse(e.dataText);
    if (data !== null && typeof data === 'object' && !Array.isArray(data)) return { type: e.type, data } as LedgerEvent;
    return { type: 'UnreadableEvent', data: { storedType: e.type, reason: 'stored data is not a JSON object' } };
  } catch (err) {
    return { type: 'UnreadableEvent', data: { storedType: e.type, reason: `stored data is not JSON: ${(err as Error).message.slice(0, 120)}` } };
  }
}
