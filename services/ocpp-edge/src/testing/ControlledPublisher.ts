import { FrameNotStored, type FramePublisher } from '../application/FramePublisher';
import type { OcppFrameRecord } from '../domain/OcppFrameRecord';

/**
 * A publisher the test steers: `store` acknowledges at once, `hold` keeps each publish pending until
 * `release()`, `fail` refuses every record as Kafka would on an outage.
 */
export class ControlledPublisher implements FramePublisher {
  mode: 'store' | 'hold' | 'fail' = 'store';
  readonly stored: OcppFrameRecord[] = [];
  readonly held: { record: OcppFrameRecord; release: () => void; fail: () => void }[] = [];

  publish(record: OcppFrameRecord): Promise<void> {
    if (this.mode === 'fail') return Promise.reject(new FrameNotStored('failed', 'Kafka did not store the frame (test outage); send it again'));
    if (this.mode === 'store') {
      this.stored.push(record);
      return Promise.resolve();
    }
    return new Promise((resolve, reject) => {
      this.held.push({
        record,
        release: () => {
          this.stored.push(record);
          resolve();
        },
        fail: () => reject(new FrameNotStored('timeout', 'Kafka did not acknowledge the frame (test); send it again')),
      });
    });
  }

  /** Resolves when `n` publishes are held. */
  async waitHeld(n: number, timeoutMs = 5_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.held.length < n) {
      if (Date.now() > until) throw new Error(`only ${this.held.length} of ${n} publishes arrived`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }
}
