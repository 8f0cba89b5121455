/** A run of missing numbers, inclusive, as decimal text. */
export interface CounterRange {
  from: string;
  to: string;
}

/**
 * The numbers from `first` up to the highest held that are not held, as inclusive ranges. Sorts the
 * held numbers once: the work follows how many are held, never their values (a counter of 10^60 or a
 * seqNo of 2^53 is one range, answered at once).
 */
export function missingRanges(held: Iterable<bigint>, first: bigint): CounterRange[] {
  const sorted = [...held].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out: CounterRange[] = [];
  let next = first;
  for (const n of sorted) {
    if (n > next) out.push({ from: next.toString(), to: (n - 1n).toString() });
    if (n + 1n > next) next = n + 1n;
  }
  return out;
}

/** How many numbers the ranges cover, as decimal text (exact at any size). */
export function countMissing(ranges: CounterRange[]): string {
  return ranges.reduce((n, r) => n + BigInt(r.to) - BigInt(r.from) + 1n, 0n).toString();
}
