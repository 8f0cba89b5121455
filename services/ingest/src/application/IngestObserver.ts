import type { LedgerEvent } from '@metrology-ledger/ledger';
import type { IngestOutcome } from './IngestPipeline';

/**
 * What the pipeline reports about its work, for whoever measures it (the service's metrics); plain
 * callbacks, so the pipeline stays free of any metrics library. Durations in seconds.
 */
export interface IngestObserver {
  /** The signature checks of one message took `seconds` (every registered key tried, for a dataset). */
  verified(seconds: number): void;
  /** The ledger took a record in `seconds` and appended `events` (none: it held the message already). */
  appended(seconds: number, events: readonly LedgerEvent[]): void;
  /** A message ended in `outcome`. */
  processed(outcome: IngestOutcome): void;
}

/** Observes nothing: the pipeline's default. */
export const UNOBSERVED: IngestObserver = { verified: () => undefined, appended: () => undefined, processed: () => undefined };
