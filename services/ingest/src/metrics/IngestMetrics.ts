import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { LedgerEvent } from '@metrology-ledger/ledger';
import type { IngestObserver } from '../application/IngestObserver';
import type { IngestOutcome } from '../application/IngestPipeline';

/** Where a consumer group stands on one partition. */
export interface PartitionLag {
  topic: string;
  partition: number;
  /** Records published and not yet committed by the group. */
  lag: number;
}

/**
 * The service's Prometheus metrics, in a registry of its own (with Node's process metrics): messages
 * by outcome and rejection code, ledger events appended by type (open gaps, duplicates and
 * conflicts follow from GapOpened/GapClosed, DuplicateReceived and ConflictReceived), append and
 * verification times, record retries, and the consumer group's lag per partition.
 */
export class IngestMetrics implements IngestObserver {
  readonly registry = new Registry();

  private readonly messages = new Counter({
    name: 'ingest_messages_total',
    help: 'Messages processed, by outcome (recorded, rejected, redelivered: the ledger held the message already, nothing-to-record: an OCPP frame without signed values or station notification) and rejection code ("none" unless rejected)',
    labelNames: ['outcome', 'code'] as const,
    registers: [this.registry],
  });

  private readonly events = new Counter({
    name: 'ingest_ledger_events_total',
    help: 'Ledger events appended, by type (DatasetRecorded, GapOpened, GapClosed, DuplicateReceived, ConflictReceived, DatasetRejected, MetrologyLogEntryRecorded, StationFaultReported, StationBootReported, FirmwareStatusReported, SecurityEventReported, LogUploadStatusReported)',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });

  private readonly appendSeconds = new Histogram({
    name: 'ingest_append_duration_seconds',
    help: 'Time the ledger took to take one record (read the stream, decide, append), seconds',
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });

  private readonly verificationSeconds = new Histogram({
    name: 'ingest_verification_duration_seconds',
    help: 'Time the signature checks of one message took (every registered key tried), seconds',
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1],
    registers: [this.registry],
  });

  private readonly retries = new Counter({
    name: 'ingest_record_retries_total',
    help: 'Failed attempts to record a message (the store was unreachable); the message is tried again',
    registers: [this.registry],
  });

  private readonly lag = new Gauge({
    name: 'ingest_consumer_lag',
    help: "The consumer group's lag per partition: records published and not yet committed (the group's, so the same in every replica)",
    labelNames: ['topic', 'partition'] as const,
    registers: [this.registry],
  });

  private readonly lagRead = new Gauge({
    name: 'ingest_consumer_lag_read_timestamp_seconds',
    help: 'When the consumer lag was last read from the brokers (Unix time, seconds)',
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  verified(seconds: number): void {
    this.verificationSeconds.observe(seconds);
  }

  appended(seconds: number, events: readonly LedgerEvent[]): void {
    this.appendSeconds.observe(seconds);
    for (const e of events) this.events.inc({ type: e.type });
  }

  processed(outcome: IngestOutcome): void {
    const redelivered = outcome.kind !== 'nothing-to-record' && outcome.events.length === 0;
    this.messages.inc({ outcome: redelivered ? 'redelivered' : outcome.kind, code: outcome.kind === 'rejected' ? outcome.code : 'none' });
  }

  recordRetried(): void {
    this.retries.inc();
  }

  /** The group's lag as just read: every partition of the consumed topics. */
  consumerLag(partitions: readonly PartitionLag[], at: Date = new Date()): void {
    this.lag.reset();
    for (const p of partitions) this.lag.set({ topic: p.topic, partition: String(p.partition) }, p.lag);
    this.lagRead.set(at.getTime() / 1000);
  }
}
