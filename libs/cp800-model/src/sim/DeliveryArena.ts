import type { EncodedDeliveries } from './EncodedDeliveries';
import { serializeMessage } from './serializeMessage';
import type { SimulationMessage } from './SimulationMessage';

/**
 * Messages waiting for delivery, kept as the bytes of their JSON lines from the moment they are
 * emitted: the message objects die young instead of living through the day (which made most of the
 * garbage collector's work), and a day is released as one buffer in delivery order.
 * Order: delivery time, then message id (as `compareDeliveries`).
 */
export class DeliveryArena {
  private bytes = Buffer.allocUnsafeSlow(1 << 20);
  private at = 0;
  private times: number[] = [];
  private ids: string[] = [];
  private starts: number[] = [];
  private ends: number[] = [];
  /** A buffer a released day was written to, handed back for the next: fresh memory costs page faults. */
  private spare: ArrayBuffer | undefined;

  get size(): number {
    return this.times.length;
  }

  add(sentAtMs: number, message: SimulationMessage): void {
    const line = serializeMessage(message);
    // Room for the worst case (3 bytes per UTF-16 unit) and the "\n".
    this.reserve(3 * line.length + 1);
    const start = this.at;
    this.at += this.bytes.write(line, start, 'utf8');
    this.bytes[this.at++] = 0x0a;
    this.times.push(sentAtMs);
    this.ids.push(message.messageId);
    this.starts.push(start);
    this.ends.push(this.at);
  }

  /** Hands back the buffer of a released day, once nothing reads it any more, to be written again. */
  recycle(buffer: ArrayBuffer): void {
    if (!this.spare || buffer.byteLength > this.spare.byteLength) this.spare = buffer;
  }

  /**
   * Takes out every line due before `until`, in delivery order; later ones stay. The bytes are the
   * only view of their ArrayBuffer (which may be longer), so it can be transferred.
   */
  release(until: number): EncodedDeliveries {
    const { times, ids, starts, ends } = this;
    const due: number[] = [];
    const keep: number[] = [];
    let dueBytes = 0;
    for (let i = 0; i < times.length; i++) {
      if (times[i] < until) {
        due.push(i);
        dueBytes += ends[i] - starts[i];
      } else keep.push(i);
    }
    due.sort((a, b) => times[a] - times[b] || (ids[a] < ids[b] ? -1 : ids[a] > ids[b] ? 1 : 0));
    const n = due.length;
    let buffer = this.spare;
    if (buffer && buffer.byteLength >= dueBytes) this.spare = undefined;
    // Room to spare, so that the buffer serves again for a slightly larger day.
    else buffer = new ArrayBuffer(Math.ceil(dueBytes * 1.25));
    const out = Buffer.from(buffer, 0, dueBytes);
    const outTimes = new Float64Array(n);
    const outEnds = new Float64Array(n);
    let o = 0;
    for (let k = 0; k < n; k++) {
      const i = due[k];
      o += this.bytes.copy(out, o, starts[i], ends[i]);
      outTimes[k] = times[i];
      outEnds[k] = o;
    }
    this.keepOnly(keep);
    return { times: outTimes, ends: outEnds, bytes: new Uint8Array(buffer, 0, o) };
  }

  /** Compacts the arena, in place, to the given lines (in increasing order of their bytes). */
  private keepOnly(keep: readonly number[]): void {
    const { times, ids, starts, ends } = this;
    this.times = [];
    this.ids = [];
    this.starts = [];
    this.ends = [];
    this.at = 0;
    for (const i of keep) {
      const start = this.at;
      // Moves towards the front only (lines were written in this order), so nothing is overwritten first.
      this.bytes.copyWithin(start, starts[i], ends[i]);
      this.at += ends[i] - starts[i];
      this.times.push(times[i]);
      this.ids.push(ids[i]);
      this.starts.push(start);
      this.ends.push(this.at);
    }
  }

  private reserve(n: number): void {
    if (this.at + n <= this.bytes.length) return;
    const grown = Buffer.allocUnsafeSlow(Math.max(2 * this.bytes.length, this.at + n));
    this.bytes.copy(grown, 0, 0, this.at);
    this.bytes = grown;
  }
}
