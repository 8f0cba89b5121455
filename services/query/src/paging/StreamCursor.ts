import { InvalidCursor } from './InvalidCursor';

/** Where the next page of a list read from ledger streams begins: a stream and a revision in it. */
export interface StreamCursor {
  streamId: string;
  revision: number;
}

const MAX_STREAM_ID = 1000;

/** Opaque to clients: base64url of `{"s":streamId,"r":revision}`. */
export function encodeStreamCursor(c: StreamCursor): string {
  return Buffer.from(JSON.stringify({ s: c.streamId, r: c.revision })).toString('base64url');
}

/** Throws InvalidCursor for anything `encodeStreamCursor` did not write. */
export function decodeStreamCursor(text: string): StreamCursor {
  if (!/^[A-Za-z0-9_-]{1,2000}$/.test(text)) throw new InvalidCursor();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursor();
  }
  const { s, r } = (value ?? {}) as { s?: unknown; r?: unknown };
  if (typeof s !== 'string' || s.length === 0 || s.length > MAX_STREAM_ID || typeof r !== 'number' || !Number.isSafeInteger(r) || r < 0) throw new InvalidCursor();
  return { streamId: s, revision: r };
}
