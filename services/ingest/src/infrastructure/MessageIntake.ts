import { Logger } from '@nestjs/common';
import { quoteBounded } from '@metrology-ledger/ledger';
import type { IngestOutcome, IngestPipeline } from '../application/IngestPipeline';
import { BackOff } from './BackOff';
import { InFlightWindow } from './InFlightWindow';
import type { Readiness } from '@metrology-ledger/service-runtime';
import { RetryAborted, retryWithBackOff } from './retryWithBackOff';
import { sleep } from './sleep';
import type { TransportMessage } from './TransportMessage';

/** Where a Kafka record sits, for log lines. */
export interface KafkaPosition {
  topic: string;
  partition: number;
  offset: string;
}

/** One transport message as the controller hands it over, with how to acknowledge it. */
export interface Delivery {
  message: TransportMessage;
  /** Where it came from, for receipts and logs, e.g. `kafka:ocmf-datasets/0@1234`. */
  source: string;
  /** The same as fields, for structured log lines (Kafka only). */
  position?: KafkaPosition;
  /** Keeps the transport's session alive during long pauses (Kafka: the consumer heartbeat). */
  keepAlive?: () => Promise<void>;
  /** Called once the ledger holds the message's record (Kafka: offset bookkeeping). */
  recorded?: () => Promise<void>;
}

export interface MessageIntakeOptions {
  /** Messages in flight at once (INGEST_IN_FLIGHT). */
  inFlight: number;
  /** Pauses between attempts to record a message the ledger could not take. */
  retry: BackOff;
  /** Longest stretch without `keepAlive` during a pause, ms (well below Kafka's session timeout). */
  keepAliveEveryMs: number;
  /** Injectable pause. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Reports `ledger` not ready while records are being retried. */
  readiness?: Readiness;
  /** Called on each failed attempt to record (metrics). */
  onRetry?: () => void;
  /** Structured lines: Nest's Logger takes an object with `msg` and fields as the message. */
  logger?: IntakeLogger;
}

/** What the intake logs through; Nest's Logger (pino underneath in the service) fits. */
export type IntakeLogger = Pick<Logger, 'log' | 'warn' | 'error' | 'debug'>;

export const DEFAULT_IN_FLIGHT = 32;
export const DEFAULT_RECORD_RETRY = { initialMs: 200, maxMs: 10_000 };

/**
 * Hands transport messages to the pipeline: up to `inFlight` at a time (InFlightWindow), each retried
 * until the ledger has its record (retryWithBackOff, capped pauses, the transport kept alive), then
 * acknowledged. A message is never skipped: while the store is down the same message is tried again
 * and nothing after it is acknowledged past it. `stop` ends the retries for shutdown; what was not
 * recorded is not acknowledged, so Kafka delivers it again.
 */
export class MessageIntake {
  private readonly options: MessageIntakeOptions;
  private readonly window: InFlightWindow;
  private readonly stopping = new AbortController();
  private readonly logger: IntakeLogger;
  private closed = false;
  /** Messages recorded or rejected so far. */
  processed = 0;

  constructor(
    private readonly pipeline: IngestPipeline,
    options: Partial<MessageIntakeOptions> = {},
  ) {
    this.options = { inFlight: DEFAULT_IN_FLIGHT, retry: new BackOff(DEFAULT_RECORD_RETRY), keepAliveEveryMs: 1_000, ...options };
    this.logger = options.logger ?? new Logger('ingest');
    this.window = new InFlightWindow(this.options.inFlight, (e) => this.logger.error(`acknowledging a message failed (it will be delivered again; the ledger skips what it holds): ${describe(e)}`));
  }

  /**
   * Starts on a message; resolves when there is room for the next one. After `close`, a message is
   * not taken: it is neither recorded nor acknowledged, so the transport delivers it again later.
   */
  accept(delivery: Delivery): Promise<void> {
    if (this.closed) {
      this.logger.debug({ msg: `${delivery.source} not taken: stopping; it is delivered again after the restart`, ...delivery.position });
      return Promise.resolve();
    }
    return this.window.submit(async () => {
      let outcome: IngestOutcome;
      try {
        outcome = await this.recordUntilStored(delivery);
      } catch (e) {
        if (e instanceof RetryAborted) {
          this.logger.warn({ msg: `${delivery.source} not recorded before shutdown: not acknowledged, it will be delivered again`, ...delivery.position });
          return;
        }
        throw e;
      }
      this.processed++;
      const fields = { stationId: outcome.stationId, messageId: outcome.messageId, ...delivery.position };
      if (outcome.kind === 'rejected') this.logger.log({ msg: `rejected ${delivery.source}: ${outcome.code}: ${outcome.reason}`, code: outcome.code, ...fields });
      else if (outcome.kind === 'nothing-to-record') this.logger.debug({ msg: `nothing to record in ${delivery.source}: ${outcome.reason}`, ...fields });
      else this.logger.debug({ msg: `recorded ${delivery.source}: ${outcome.events.map((e) => e.type).join(', ') || 'held already'}`, ...fields });
      await delivery.recorded?.();
    });
  }

  /** Messages being recorded now. */
  get inFlight(): number {
    return this.window.size;
  }

  /** Resolves when every message handed over so far is recorded (or given up for shutdown). */
  drain(): Promise<void> {
    return this.window.drain();
  }

  /** Takes no more messages (shutdown); those in flight go on until recorded or `stop`. */
  close(): void {
    this.closed = true;
  }

  /** Ends every pending retry: for shutdown, once waiting longer is not possible. */
  stop(): void {
    this.stopping.abort();
  }

  private recordUntilStored(d: Delivery): Promise<IngestOutcome> {
    const { readiness } = this.options;
    return retryWithBackOff(
      async () => {
        const outcome = await this.pipeline.process(d.message.value, d.source, d.message.key);
        readiness?.ok('ledger');
        return outcome;
      },
      {
        backOff: this.options.retry,
        signal: this.stopping.signal,
        sleep: (ms, signal) => this.pause(ms, d.keepAlive, signal),
        onRetry: ({ error, attempt, delayMs }) => {
          readiness?.fail('ledger', `cannot record, retrying: ${describe(error)}`);
          this.options.onRetry?.();
          this.logger.warn({ msg: `cannot record ${d.source} (attempt ${attempt}): ${describe(error)}; trying again in ${delayMs} ms`, attempt, ...d.position });
        },
      },
    );
  }

  /** A pause in slices, keeping the transport session alive between them. */
  private async pause(ms: number, keepAlive: (() => Promise<void>) | undefined, signal?: AbortSignal): Promise<void> {
    const pauseFor = this.options.sleep ?? sleep;
    for (let left = ms; left > 0 && !signal?.aborted; left -= this.options.keepAliveEveryMs) {
      await pauseFor(Math.min(left, this.options.keepAliveEveryMs), signal);
      await keepAlive?.().catch(() => undefined);
    }
  }
}

function describe(e: unknown): string {
  return quoteBounded(e instanceof Error ? `${e.name}: ${e.message}` : e, 200);
}
