/** Progress on a terminal (one redrawn line on stderr); a line every 10 % when stderr is not a terminal. */
export class ProgressBar {
  private lastDecile = -1;
  private readonly startedAt = Date.now();

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  update(done: number, note = ''): void {
    const ratio = this.total === 0 ? 1 : Math.min(1, done / this.total);
    const elapsed = (Date.now() - this.startedAt) / 1000;
    if (this.stream.isTTY) {
      const width = 30;
      const filled = Math.round(ratio * width);
      this.stream.write(`\r${this.label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}% ${elapsed.toFixed(0)}s ${note}   `);
    } else {
      const decile = Math.floor(ratio * 10);
      if (decile > this.lastDecile) {
        this.lastDecile = decile;
        this.stream.write(`${this.label}: ${(ratio * 100).toFixed(0)}% (${done}/${this.total}) ${elapsed.toFixed(1)}s ${note}\n`);
      }
    }
  }

  finish(note = ''): void {
    this.update(this.total, note);
    if (this.stream.isTTY) this.stream.write('\n');
  }
}
