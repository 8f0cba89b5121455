import { ProgressReporter } from './ProgressReporter';

describe('ProgressReporter', () => {
  it('writes one line per 10 % step (0 % to 100 %) when the output is not a terminal', () => {
    const lines: string[] = [];
    const p = new ProgressReporter('rebuilding', { write: (s) => lines.push(s) });
    for (let i = 1; i <= 200; i++) p.update(i, 200);
    p.finish();
    expect(lines).toHaveLength(11);
    expect(lines[0]).toBe('rebuilding: 1/200 (0%)\n');
    expect(lines[lines.length - 1]).toBe('rebuilding: 200/200 (100%)\n');
  });

  it('redraws one line with a bar in place on a terminal, at most every 100 ms, always the last state', () => {
    const out: string[] = [];
    let t = 0;
    const p = new ProgressReporter('rebuilding', { write: (s) => out.push(s), isTTY: true }, () => t);
    t = 1000;
    p.update(1, 3);
    t = 1050;
    p.update(2, 3);
    p.update(3, 3);
    p.finish();
    expect(out).toEqual([`\rrebuilding [${'='.repeat(9)}>${' '.repeat(20)}] 1/3 (33%)`, `\rrebuilding [${'='.repeat(30)}] 3/3 (100%)`, '\n']);
  });
});
