const DAY_MS = 86_400_000;
const pad = (n: number, w: number) => String(n).padStart(w, '0');
const TWO = Array.from({ length: 100 }, (_, i) => pad(i, 2));
const THREE = Array.from({ length: 1000 }, (_, i) => pad(i, 3));
/** Days 0001-01-01 to 9999-12-31 relative to the epoch: the range toISOString writes with four-digit years. */
const FIRST_DAY = -719_162;
const LAST_DAY = 2_932_896;

let cachedDay = NaN;
let cachedPrefix = '';

/**
 * `new Date(ms).toISOString()` (`2025-01-01T00:26:46.572Z`), written from a cached date prefix and
 * lookup tables: the simulator formats tens of millions of times, mostly within one day. Fractions of
 * a millisecond are dropped as Date does; outside the four-digit years it falls back to Date.
 */
export function isoUtc(ms: number): string {
  const t = Math.trunc(ms);
  const day = Math.floor(t / DAY_MS);
  if (day !== cachedDay) {
    if (!(day >= FIRST_DAY && day <= LAST_DAY)) return new Date(ms).toISOString();
    cachedDay = day;
    cachedPrefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
  }
  let r = t - day * DAY_MS;
  const h = Math.floor(r / 3_600_000);
  r -= h * 3_600_000;
  const m = Math.floor(r / 60_000);
  r -= m * 60_000;
  const s = Math.floor(r / 1000);
  return `${cachedPrefix}${TWO[h]}:${TWO[m]}:${TWO[s]}.${THREE[r - s * 1000]}Z`;
}

/** `isoUtc` to the second: `2025-01-01T00:26:46Z` (the metrology log's form). */
export function isoUtcSeconds(ms: number): string {
  const iso = isoUtc(ms);
  return `${iso.slice(0, 19)}Z`;
}
