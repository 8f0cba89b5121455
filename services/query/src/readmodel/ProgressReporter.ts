const BAR = 30;

/**
 * A small progress display for command-line tools of this service: on a terminal one line redrawn in
 * place (`label [=====>     ] done/total (p%)`), elsewhere (logs, CI) one line per 10 % step, so a log is never
 * flooded. Writes to the given stream (stderr by default), nothing else.
 */
export class ProgressReporter {
  private lastStep = -1;
  private lastDrawn = 0;

  constructor(
    private readonly label: string,
    private readonly out: { write(s: string): unknown; isTTY?: boolean } = process.stderr,
    private readonly now: () => number = Date.now,
  ) {}

  update(done: number, total: number): void {
    const pct = total > 0 ? Math.floor((done / total) * 100) : 100;
    if (this.out.isTTY) {
      const t = this.now();
      if (done < total && t - this.lastDrawn < 100) return;
      this.lastDrawn = t;
      const filled = Math.min(BAR, Math.floor((pct * BAR) / 100));
      const bar = `${'='.repeat(filled)}${filled < BAR ? '>' : ''}`.padEnd(BAR);
      this.out.write(`\r${this.label} [${bar}] ${done}/${total} (${pct}%)`);
      return;
    }
    const step = Math.floor(pct / 10);
    if (step === this.lastStep) return;
    this.lastStep = step;
    this.out.write(`${this.label}: ${done}/${total} (${pct}%)\n`);
  }

  /** Ends the display (a line break on a terminal). */
  finish(): void {
    if (this.out.isTTY && this.lastDrawn > 0) this.out.write('\n');
  }
}
