import type { EdgeLogger, LogLine, LogMessage } from '../application/EdgeLogger';

/** Keeps what the edge logs, for assertions. */
export class RecordingLogger implements EdgeLogger {
  readonly lines: { level: 'debug' | 'log' | 'warn' | 'error'; message: string; fields: Omit<LogLine, 'msg'> }[] = [];

  log(message: LogMessage): void {
    this.keep('log', message);
  }

  warn(message: LogMessage): void {
    this.keep('warn', message);
  }

  error(message: LogMessage): void {
    this.keep('error', message);
  }

  debug(message: LogMessage): void {
    this.keep('debug', message);
  }

  /** Messages at warn or error level that contain every one of `parts`. */
  warnings(...parts: string[]): string[] {
    return this.lines.filter((l) => (l.level === 'warn' || l.level === 'error') && parts.every((p) => l.message.includes(p))).map((l) => l.message);
  }

  private keep(level: 'debug' | 'log' | 'warn' | 'error', message: LogMessage): void {
    if (typeof message === 'string') this.lines.push({ level, message, fields: {} });
    else {
      const { msg, ...fields } = message;
      this.lines.push({ level, message: msg, fields });
    }
  }
}
