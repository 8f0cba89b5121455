import { createHash } from 'node:crypto';

/** Decodes UTF-8 strictly (a byte sequence that is not UTF-8 throws) and keeps a leading BOM as received. */
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * One message exactly as a transport handed it over, with what the ledger needs to know about the
 * whole of it: its size in bytes and the SHA-256 of those bytes, as received (never of a decoded and
 * re-encoded text). `sha256` together with the message id tells a redelivery (same id, same bytes)
 * from another message reusing an id. A transport that hands over text (the embedded one) is taken
 * as its UTF-8 bytes.
 */
export class ReceivedMessage {
  /** The bytes as received. */
  readonly body: Buffer;
  readonly bytes: number;
  readonly sha256: string;
  private decoded: { text: string | undefined } | undefined;

  constructor(received: string | Uint8Array) {
    if (typeof received === 'string') {
      this.body = Buffer.from(received, 'utf8');
      this.decoded = { text: received };
    } else {
      this.body = Buffer.isBuffer(received) ? received : Buffer.from(received.buffer, received.byteOffset, received.byteLength);
    }
    this.bytes = this.body.length;
    this.sha256 = createHash('sha256').update(this.body).digest('hex');
  }

  /** The message as text; `undefined` when its bytes are not valid UTF-8 (decoded once, strictly). */
  get text(): string | undefined {
    this.decoded ??= { text: decodeStrictly(this.body) };
    return this.decoded.text;
  }

  /** Whether the bytes are valid UTF-8. */
  get isUtf8(): boolean {
    return this.text !== undefined;
  }

  /** The id a message is recorded under when it names none that can be used. */
  get contentId(): string {
    return `sha256:${this.sha256}`;
  }

  exceeds(maxBytes: number): boolean {
    return this.bytes > maxBytes;
  }

  /**
   * The first `maxBytes` bytes at most as text, cut before a character that would not fit whole;
   * `undefined` when those bytes are not valid UTF-8 (then see `base64Excerpt`).
   */
  excerpt(maxBytes: number): string | undefined {
    if (this.bytes <= maxBytes) return this.text;
    let end = maxBytes;
    while (end > 0 && (this.body[end] & 0xc0) === 0x80) end--; // inside a multi-byte character: back to its start
    return decodeStrictly(this.body.subarray(0, end));
  }

  /** The first `maxBytes` bytes at most, base64: evidence of a message that is not text. */
  base64Excerpt(maxBytes: number): string {
    return this.body.subarray(0, maxBytes).toString('base64');
  }
}

function decodeStrictly(bytes: Uint8Array): string | undefined {
  try {
    return STRICT_UTF8.decode(bytes);
  } catch {
    return undefined;
  }
}
