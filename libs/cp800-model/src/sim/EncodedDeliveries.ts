import { serializeMessage } from './serializeMessage';
import type { Timed } from './StationAgent';

/**
 * A day's deliveries as the bytes of their JSON lines (each ending in "\n"), with each line's delivery
 * time and end offset. This is what a worker hands to the main thread: three transferable buffers
 * instead of millions of strings, and the main thread merges and writes bytes without decoding them.
 */
export interface EncodedDeliveries {
  /** Delivery time of each line, ms. */
  times: Float64Array<ArrayBuffer>;
  /** End offset (exclusive) of each line in `bytes`, its "\n" included. */
  ends: Float64Array<ArrayBuffer>;
  /** UTF-8 JSON lines, each followed by "\n". The only view of its ArrayBuffer, so that can be transferred. */
  bytes: Uint8Array<ArrayBuffer>;
}

/** Encodes deliveries (already in delivery order) as JSON lines. */
export function encodeDeliveries(timed: readonly Timed[]): EncodedDeliveries {
  const n = timed.length;
  const times = new Float64Array(n);
  const ends = new Float64Array(n);
  const lines: string[] = new Array(n);
  let chars = 0;
  for (let i = 0; i < n; i++) {
    times[i] = timed[i].sentAtMs;
    lines[i] = serializeMessage(timed[i].message);
    chars += lines[i].length + 1;
  }
  // Line by line into one buffer (no joined text: one line beyond ASCII would make all of it two-byte
  // and every step after slow); room for ASCII, grown when a line holds more bytes than characters.
  let bytes = Buffer.from(new ArrayBuffer(chars + 4096));
  let at = 0;
  for (let i = 0; i < n; i++) {
    const line = lines[i];
    if (at + 3 * line.length + 1 > bytes.length) {
      const grown = Buffer.from(new ArrayBuffer(Math.max(2 * bytes.length, at + 3 * line.length + 1)));
      bytes.copy(grown, 0, 0, at);
      bytes = grown;
    }
    at += bytes.write(line, at, 'utf8');
    bytes[at++] = 0x0a;
    ends[i] = at;
  }
  return { times, ends, bytes: new Uint8Array(bytes.buffer, 0, at) };
}

/**
 * Merges parts that are each in delivery order into one, by (time, part index). Parts hold contiguous
 * ranges of stations in increasing order and message ids start with the fixed-width station id, so on
 * equal times the lower part holds the lower message id: the order a single simulator gives.
 * Consecutive lines from one part are copied as one run. Written into `into` when it is large
 * enough (a fleet merges gigabytes: memory used again costs far less than fresh pages), else into a
 * new buffer; the result is a view of exactly the merged bytes.
 */
export function mergeEncoded(parts: readonly EncodedDeliveries[], into?: Buffer): Buffer {
  const total = parts.reduce((s, p) => s + p.bytes.length, 0);
  const out = into && into.length >= total ? into.subarray(0, total) : Buffer.allocUnsafeSlow(total);
  const idx = parts.map(() => 0);
  let o = 0;
  for (;;) {
    let best = -1;
    let bestTime = Infinity;
    for (let k = 0; k < parts.length; k++) {
      const i = idx[k];
      if (i < parts[k].times.length && (best < 0 || parts[k].times[i] < bestTime)) {
        best = k;
        bestTime = parts[k].times[i];
      }
    }
    if (best < 0) break;
    // Take lines of `best` while each comes before every other part's next line.
    let limit = Infinity;
    let limitPart = parts.length;
    for (let k = 0; k < parts.length; k++) {
      if (k === best || idx[k] >= parts[k].times.length) continue;
      const t = parts[k].times[idx[k]];
      if (t < limit || (t === limit && k < limitPart)) {
        limit = t;
        limitPart = k;
      }
    }
    const p = parts[best];
    const from = idx[best];
    let i = from;
    while (i < p.times.length && (p.times[i] < limit || (p.times[i] === limit && best < limitPart))) i++;
    const start = from === 0 ? 0 : p.ends[from - 1];
    const end = p.ends[i - 1];
    out.set(p.bytes.subarray(start, end), o);
    o += end - start;
    idx[best] = i;
  }
  return out;
}
