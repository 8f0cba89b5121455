/** One resident-memory sample of a process: seconds since the start, bytes. */
export interface RssSample {
  t: number;
  rss: number;
}

export interface MemoryGrowth {
  /** Least-squares slope of RSS over time after the warm-up, bytes per hour. */
  slopePerHour: number;
  /** The same over the second half of those samples: a leak keeps its slope there, a cache that filled up does not. */
  secondHalfSlopePerHour: number;
  /** Mean RSS after the warm-up. */
  meanAfterWarmUp: number;
  /** The most the slope may be: `max(minBytesPerHour, fractionPerHour × meanAfterWarmUp)`. */
  limitPerHour: number;
  samplesUsed: number;
  grows: boolean;
}

/**
 * Whether a process's resident memory grows without bound, judged on samples taken under steady
 * load: the samples of the warm-up (the first `warmUpFraction` of the run: heaps, caches and
 * connection pools fill) are left out, a straight line is fitted to the rest by least squares, and
 * the process "grows" when that line climbs faster than `limitPerHour` — more than
 * `fractionPerHour` of its own size, and more than `minBytesPerHour`, within an hour. A process
 * that levels off after the warm-up has a slope near 0 however large it is; garbage collection
 * sawtooth averages out over many samples. The line through the second half of those samples must
 * climb too: a cache or heap that was still filling after the warm-up and then levelled off (the query
 * service's SQLite page cache under a 10-minute soak) raises the whole line but not its second half,
 * where a leak keeps its slope. Fewer than 5 samples after the warm-up (or in its second half) decide
 * nothing (`grows` false, `samplesUsed` says so).
 */
export function memoryGrowth(samples: readonly RssSample[], options: { warmUpFraction?: number; fractionPerHour?: number; minBytesPerHour?: number } = {}): MemoryGrowth {
  const { warmUpFraction = 0.25, fractionPerHour = 0.5, minBytesPerHour = 64 * 1024 * 1024 } = options;
  const end = samples.length > 0 ? samples[samples.length - 1].t : 0;
  const start = samples.length > 0 ? samples[0].t : 0;
  const used = samples.filter((s) => s.t >= start + (end - start) * warmUpFraction);
  const n = used.length;
  const { slope: slopePerHour, mean: meanAfterWarmUp } = fitPerHour(used);
  const secondHalf = used.slice(Math.floor(n / 2));
  const { slope: secondHalfSlopePerHour } = fitPerHour(secondHalf);
  const limitPerHour = Math.max(minBytesPerHour, fractionPerHour * meanAfterWarmUp);
  const grows = n >= 5 && secondHalf.length >= 5 && slopePerHour > limitPerHour && secondHalfSlopePerHour > limitPerHour;
  return { slopePerHour, secondHalfSlopePerHour, meanAfterWarmUp, limitPerHour, samplesUsed: n, grows };
}

/** Least-squares slope (bytes per hour) and mean of the samples. */
function fitPerHour(samples: readonly RssSample[]): { slope: number; mean: number } {
  const n = samples.length;
  const meanT = samples.reduce((a, s) => a + s.t, 0) / Math.max(n, 1);
  const mean = samples.reduce((a, s) => a + s.rss, 0) / Math.max(n, 1);
  let num = 0;
  let den = 0;
  for (const s of samples) {
    num += (s.t - meanT) * (s.rss - mean);
    den += (s.t - meanT) ** 2;
  }
  return { slope: den === 0 ? 0 : (num / den) * 3600, mean };
}
