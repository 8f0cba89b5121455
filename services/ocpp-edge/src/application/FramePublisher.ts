import type { OcppFrameRecord } from '../domain/OcppFrameRecord';

/**
 * Where ledger frames go (Kafka in production). `publish` resolves only when the record is durably
 * stored (Kafka: acknowledged by all in-sync replicas); it rejects with FrameNotStored otherwise.
 */
export interface FramePublisher {
  publish(record: OcppFrameRecord): Promise<void>;
}

export const FRAME_PUBLISHER = Symbol('FramePublisher');

/** A frame Kafka did not acknowledge in time: the station gets a CALLERROR and sends it again. */
export class FrameNotStored extends Error {
  override readonly name = 'FrameNotStored';
  constructor(
    readonly failure: 'timeout' | 'failed' | 'closed',
    reason: string,
  ) {
    super(reason);
  }
}
