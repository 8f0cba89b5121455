import { logLevel, type LogEntry, type logCreator } from 'kafkajs';

/**
 * What kafkajs logs, again and again, while a young broker elects leaders and forms the consumer group,
 * and while kafkajs retries and restarts on its own: retriable broker conditions, connection refusals,
 * and its crash/restart lines. Counted, not printed; the supervisor prints one line per retry instead.
 */
const TRANSIENT = [
  /does not host this topic-partition/i,
  /no leader for this topic-partition|leadership election|leader is not available/i,
  /group coordinator|coordinator is (not available|loading)|not the correct coordinator|coordinator not found/i,
  /rebalanc/i,
  /\b(ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN)\b/,
  /Connection (error|timeout)|Closed connection|Connection closed/i,
  /^Crash: |Restarting the consumer/,
];

type Sink = { error(m: string): void; warn(m: string): void; log(m: string): void; debug(m: string): void };

/**
 * kafkajs's logCreator for the service: entries at WARN and above (the client is given
 * `logLevel.WARN`) go to the service's logger, except transient broker errors, which are only counted.
 */
export class KafkaLogFilter {
  private held = 0;

  constructor(private readonly sink: Sink) {}

  readonly logCreator: logCreator = () => (entry: LogEntry) => this.write(entry);

  /** How many transient entries were held back since the last call. */
  takeHeldBack(): number {
    const n = this.held;
    this.held = 0;
    return n;
  }

  private write({ namespace, level, log }: LogEntry): void {
    const { message, timestamp: _t, logger: _l, stack: _s, ...extra } = log as LogEntry['log'] & { logger?: unknown; stack?: unknown };
    const details = Object.keys(extra).length > 0 ? ` ${JSON.stringify(extra)}` : '';
    const text = `${namespace ? `[${namespace}] ` : ''}${message}${details}`;
    if (level <= logLevel.WARN && level !== logLevel.NOTHING && TRANSIENT.some((r) => r.test(`${message}${details}`))) {
      this.held++;
      this.sink.debug(text);
      return;
    }
    if (level === logLevel.ERROR || level === logLevel.NOTHING) this.sink.error(text);
    else if (level === logLevel.WARN) this.sink.warn(text);
    else if (level === logLevel.INFO) this.sink.log(text);
    else this.sink.debug(text);
  }
}
