import type { LedgerEvent } from './LedgerEvent';

/** State of a rejection, metrology-log or fault stream: which transport messages it already holds. */
export class ProcessedMessages {
  readonly ids = new Set<string>();
  revision = -1;
  headHash: string | undefined;

  apply(event: LedgerEvent): void {
    if (event.type === 'DatasetRejected' || event.type === 'MetrologyLogEntryRecorded' || event.type === 'StationFaultReported') {
      this.ids.add(event.data.receipt.messageId);
    }
  }
}
