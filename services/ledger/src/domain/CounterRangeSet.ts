import type { CounterRange } from './missingRanges';

const cmp = (a: bigint, b: bigint) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A set of non-negative integers (pagination counters, seqNos) kept as sorted disjoint inclusive
 * ranges: counters delivered in order are one range, whatever their number, and each gap adds one.
 * Every operation works on the ranges (binary search, one splice), never on a counter's value: a
 * counter of 10^60 is one more range. Members are BigInt, exact at any size.
 */
export class CounterRangeSet {
  /** Range starts, ascending; `ends[i]` is the last member of the range starting at `starts[i]`. */
  private readonly starts: bigint[] = [];
  private readonly ends: bigint[] = [];
  private members = 0;

  /** How many numbers are held (not how many ranges). Named so that a cache's entry count leaves it out. */
  get count(): number {
    return this.members;
  }

  /** How many disjoint ranges hold them. */
  get rangeCount(): number {
    return this.starts.length;
  }

  /** The lowest member, or undefined when empty. */
  get lowest(): bigint | undefined {
    return this.starts[0];
  }

  /** The highest member, or undefined when empty. */
  get highest(): bigint | undefined {
    return this.ends[this.ends.length - 1];
  }

  /** Index of the last range starting at or below n, or -1. */
  private rangeAtOrBelow(n: bigint): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (cmp(this.starts[mid], n) <= 0) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }

  has(n: bigint): boolean {
    const i = this.rangeAtOrBelow(n);
    return i >= 0 && n <= this.ends[i];
  }

  /** Adds n; true when it was not held before. Joins the ranges it touches. */
  add(n: bigint): boolean {
    const i = this.rangeAtOrBelow(n);
    if (i >= 0 && n <= this.ends[i]) return false;
    this.members++;
    const joinsBelow = i >= 0 && this.ends[i] + 1n === n;
    const joinsAbove = i + 1 < this.starts.length && this.starts[i + 1] - 1n === n;
    if (joinsBelow && joinsAbove) {
      this.ends[i] = this.ends[i + 1];
      this.starts.splice(i + 1, 1);
      this.ends.splice(i + 1, 1);
    } else if (joinsBelow) this.ends[i] = n;
    else if (joinsAbove) this.starts[i + 1] = n;
    else {
      this.starts.splice(i + 1, 0, n);
      this.ends.splice(i + 1, 0, n);
    }
    return true;
  }

  /** The held ranges, ascending, as decimal text. */
  ranges(): CounterRange[] {
    return this.starts.map((s, i) => ({ from: s.toString(), to: this.ends[i].toString() }));
  }

  /** The numbers from `first` up to the highest member that are not held, as inclusive ranges: one per hole between ranges. */
  missing(first: bigint): CounterRange[] {
    const out: CounterRange[] = [];
    let next = first;
    for (let i = 0; i < this.starts.length; i++) {
      if (this.starts[i] > next) out.push({ from: next.toString(), to: (this.starts[i] - 1n).toString() });
      if (this.ends[i] + 1n > next) next = this.ends[i] + 1n;
    }
    return out;
  }

  /** Every member, ascending: as many steps as members held (each was added once), never more. */
  *keys(): IterableIterator<bigint> {
    for (let i = 0; i < this.starts.length; i++) for (let n = this.starts[i]; n <= this.ends[i]; n++) yield n;
  }

  [Symbol.iterator](): IterableIterator<bigint> {
    return this.keys();
  }
}
