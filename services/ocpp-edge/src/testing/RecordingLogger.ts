import type { EdgeLogger } from '../application/EdgeLogger';

/** Keeps what the edge logs, for assertions. */
export class RecordingLogger implements EdgeLogger {
  readonly lines: { level: 'log' | 'warn' | 'error'; message: string }[] = [];

  log(message: string): void {
    this.lines.push({ level: 'log', message });
  }

  warn(message: string): void {
    this.lines.push({ level: 'warn', message });
  }

  error(message: string): void {
    this.lines.push({ level: 'error', message });
  }

  /** Messages at warn or error level that contain every one of `parts`. */
  warnings(...parts: string[]): string[] {
    return this.lines.filter((l) => l.level !== 'log' && parts.every((p) => l.message.includes(p))).map((l) => l.message);
  }
}
