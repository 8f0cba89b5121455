import { createHash } from 'node:crypto';

/**
 * One message exactly as a transport handed it over, with what the ledger needs to know about the
 * whole of it: its size in bytes (UTF-8) and its SHA-256. `sha256` together with the message id tells
 * a redelivery (same id, same bytes) from another message reusing an id.
 */
export class ReceivedMessage {
  readonly bytes: number;
  readonly sha256: string;

  constructor(readonly text: string) {
    this.bytes = Buffer.byteLength(text, 'utf8');
    this.sha256 = createHash('sha256').update(text, 'utf8').digest('hex');
  }

  /** The id a message is recorded under when it names none that can be used. */
  get contentId(): string {
    return `sha256:${this.sha256}`;
  }

  exceeds(maxBytes: number): boolean {
    return this.bytes > maxBytes;
  }

  /** The first `maxBytes` bytes at most, cut before a character that would not fit whole. */
  excerpt(maxBytes: number): string {
    if (this.bytes <= maxBytes) return this.text;
    // maxBytes characters are at least maxBytes bytes: the cut lies within them.
    const head = Buffer.from(this.text.slice(0, maxBytes), 'utf8');
    let end = Math.min(maxBytes, head.length);
    while (end > 0 && (head[end] & 0xc0) === 0x80) end--; // inside a multi-byte character: back to its start
    return head.subarray(0, end).toString('utf8');
  }
}
