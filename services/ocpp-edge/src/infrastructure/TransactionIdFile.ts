import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TransactionIdMark } from '../domain/TransactionIdSequence';

/** The stored mark cannot be read or written: the edge hands out no id rather than risk one twice (at start: it does not start). */
export class TransactionIdFileInvalid extends Error {
  override readonly name = 'TransactionIdFileInvalid';
}

/**
 * EDGE_TRANSACTION_ID_FILE: the standalone edge's transaction-id high-water mark, one decimal number.
 * Written whole to a temporary file beside it, flushed to disk, renamed over it and the directory
 * flushed, so after a crash the file holds the old mark or the new one, never a torn one.
 */
export class TransactionIdFile implements TransactionIdMark {
  constructor(private readonly path: string) {}

  read(): number | undefined {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new TransactionIdFileInvalid(`EDGE_TRANSACTION_ID_FILE ${this.path} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    if (!/^\d{1,10}\n?$/.test(text)) throw new TransactionIdFileInvalid(`EDGE_TRANSACTION_ID_FILE ${this.path} does not hold one decimal number: restore it, or remove it only if no id above the seconds since 2025-01-01 was ever handed out`);
    return Number(text);
  }

  reserve(next: number): void {
    try {
      this.write(next);
    } catch (err) {
      throw new TransactionIdFileInvalid(`EDGE_TRANSACTION_ID_FILE ${this.path} cannot be written (${(err as NodeJS.ErrnoException).code ?? (err as Error).message}): no transaction id is handed out without its mark stored`);
    }
  }

  private write(next: number): void {
    const tmp = `${this.path}.tmp`;
    const fd = openSync(tmp, 'w', 0o600);
    try {
      writeSync(fd, `${next}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, this.path);
    const dir = openSync(dirname(this.path), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
  }
}
