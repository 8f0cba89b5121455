import type { BackOff } from './BackOff';
import { isTransientKafkaError } from './isTransientKafkaError';
import type { Readiness } from '@metrology-ledger/service-runtime';
import { RetryAborted, retryWithBackOff } from './retryWithBackOff';

/** The consumer as the supervisor drives it: the Nest microservice's listen, and its transport's close. */
export interface SupervisedConsumer {
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** What the Kafka transport reports about its consumer (IngestKafkaServer calls these). */
export interface ConsumerEvents {
  /** The consumer joined its group: it receives messages. */
  joined(): void;
  /** The consumer stopped on an error; `restart`: kafkajs restarts it by itself. */
  crashed(error: unknown, restart: boolean): void;
}

export interface KafkaConsumerSupervisorOptions {
  /** Whether the brokers can serve the consumer (KafkaBrokerProbe); names topics that do not exist. */
  probe: { check(): Promise<{ missing: string[] } | void> };
  backOff: BackOff;
  readiness: Readiness;
  logger: { log(m: string): void; warn(m: string): void };
  /** The consumer group, for messages. */
  groupId: string;
  /** Called with a failure that waiting will not cure: the service must stop (and say why). */
  onFatal: (error: unknown) => void;
  /** Transient kafkajs errors held back from the log since the last call (KafkaLogFilter). */
  heldBack?: () => number;
  isTransient?: (error: unknown) => boolean;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Starts the Kafka consumer and keeps it running through transient broker conditions, which never
 * end the service: before each start it waits until the brokers can serve the consumer (topics led,
 * group coordinator up), then starts it; a transient failure of either is waited out with capped
 * exponential back-off, with one summarising log line per retry and the reason in the readiness state.
 * kafkajs restarts its consumer by itself after most crashes; after a crash it does not restart from,
 * the supervisor restarts the consumer if the cause is transient, and otherwise reports it as fatal.
 * Readiness is `kafka` ok once the consumer has joined its group.
 */
export class KafkaConsumerSupervisor implements ConsumerEvents {
  private consumer: SupervisedConsumer | undefined;
  private readonly stopping = new AbortController();
  private restarting = false;
  private readonly isTransient: (error: unknown) => boolean;

  constructor(private readonly options: KafkaConsumerSupervisorOptions) {
    this.isTransient = options.isTransient ?? isTransientKafkaError;
  }

  /** Waits for the brokers and starts `consumer`; rejects only on a failure that is not transient, or when stopped. */
  async start(consumer: SupervisedConsumer): Promise<void> {
    this.consumer = consumer;
    const { readiness, probe, groupId } = this.options;
    let missing: string[] = [];
    await retryWithBackOff(
      async (attempt) => {
        if (attempt === 1) readiness.fail('kafka', 'waiting for the topics and the consumer group coordinator');
        missing = (await probe.check())?.missing ?? [];
        readiness.fail('kafka', `joining consumer group ${groupId}${missing.length > 0 ? ` (topics not on the brokers yet: ${missing.join(', ')})` : ''}`);
        await consumer.start();
      },
      {
        backOff: this.options.backOff,
        sleep: this.options.sleep,
        signal: this.stopping.signal,
        isRetriable: this.isTransient,
        onRetry: async ({ error, attempt, delayMs }) => {
          const why = `${describe(error)}${missing.length > 0 ? ` (topics not on the brokers: ${missing.join(', ')}; they are created on subscription only where the broker allows auto-creation)` : ''}`;
          missing = [];
          readiness.fail('kafka', `${why}; retry ${attempt} in ${seconds(delayMs)}`);
          this.options.logger.warn(`Kafka not ready: ${why}; retry ${attempt} in ${seconds(delayMs)}${this.heldBackNote()}`);
          await consumer.stop().catch(() => undefined);
        },
      },
    );
  }

  joined(): void {
    this.options.readiness.ok('kafka');
    this.options.logger.log(`consuming: joined consumer group ${this.options.groupId}${this.heldBackNote()}`);
  }

  crashed(error: unknown, restart: boolean): void {
    if (this.stopping.signal.aborted) return;
    const why = describe(error);
    if (restart) {
      this.options.readiness.fail('kafka', `consumer stopped (${why}); kafkajs restarts it`);
      this.options.logger.warn(`Kafka consumer stopped (${why}); kafkajs restarts it${this.heldBackNote()}`);
      return;
    }
    if (!this.isTransient(error)) {
      this.options.readiness.fail('kafka', `consumer stopped: ${why}`);
      this.options.onFatal(error);
      return;
    }
    this.options.readiness.fail('kafka', `consumer stopped (${why}); restarting`);
    this.options.logger.warn(`Kafka consumer stopped (${why}); restarting it${this.heldBackNote()}`);
    void this.restart();
  }

  /** Ends waiting and restarting (shutdown). */
  stop(): void {
    this.stopping.abort();
    this.options.readiness.fail('kafka', 'stopping');
  }

  private async restart(): Promise<void> {
    if (this.restarting || !this.consumer) return;
    this.restarting = true;
    try {
      await this.consumer.stop().catch(() => undefined);
      await this.start(this.consumer);
    } catch (e) {
      if (!(e instanceof RetryAborted)) this.options.onFatal(e);
    } finally {
      this.restarting = false;
    }
  }

  private heldBackNote(): string {
    const n = this.options.heldBack?.() ?? 0;
    return n > 0 ? ` (${n} transient kafkajs error${n === 1 ? '' : 's'} not logged)` : '';
  }
}

function describe(error: unknown): string {
  const text = error instanceof Error ? `${error.name === 'BrokerNotReady' ? '' : `${error.name}: `}${error.message}` : String(error);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(ms < 1000 ? 1 : 0)} s`;
}
