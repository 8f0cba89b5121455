import type { DecimalValue } from './OcmfDataset';

/**
 * Exact decimal arithmetic on meter values. Values are carried as decimal text and computed as
 * scaled integers, so `0.2597 - 0.2596` is `0.0001`, never `0.00009999999999998899`.
 *
 * A value is read from the text the meter wrote (never from a JS number, which cannot hold
 * `0.12345678901234567890` or a 33-digit register), and is held exactly as long as it has at most
 * `MAX_DECIMAL_DIGITS` digits written out without exponent. Beyond that it is refused, never
 * rounded: the work to write `1e400` out would be proportional to the exponent, not to the data,
 * and no meter register has a fraction of that many digits.
 */
export const MAX_DECIMAL_DIGITS = 64;

export type DecimalRead = { ok: true; decimal: DecimalValue } | { ok: false; reason: string };

// Sign, integer digits, fraction digits, exponent. Deterministic, so linear on any length.
const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;
// What `readDecimal` writes: no exponent, no leading or trailing zeros, no "-0".
const CANONICAL = /^-?(?:0|[1-9]\d*)(?:\.\d*[1-9])?$/;

/**
 * Reads a decimal number as written (`100.000`, `-0.5`, `1.5e3`, `0100` are all numbers) into its
 * canonical exact text. The work is proportional to the text; an exponent is checked before
 * anything is written out.
 */
export function readDecimal(text: string): DecimalRead {
  const m = DECIMAL.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return { ok: false, reason: 'it is not a decimal number' };
  const [, sign, int, frac = '', exp] = m;
  let exponent = 0;
  if (exp !== undefined) {
    const significant = exp.replace(/^[+-]?0*/, '');
    // Six digits of exponent already write out to a million digits; more is refused unread.
    if (significant.length > 6) return { ok: false, reason: `its exponent has ${significant.length} digits` };
    exponent = Number(exp);
  }
  // value = digits × 10^(exponent - frac.length), digits without leading or trailing zeros.
  const all = int + frac;
  let first = 0;
  while (first < all.length && all.charCodeAt(first) === 0x30) first++;
  let end = all.length;
  while (end > first && all.charCodeAt(end - 1) === 0x30) end--;
  if (first === end) return { ok: true, decimal: { value: 0, text: '0' } };
  const digits = end - first;
  if (digits > MAX_DECIMAL_DIGITS) {
    return { ok: false, reason: `it has ${digits} significant digits; at most ${MAX_DECIMAL_DIGITS} are held exactly` };
  }
  const scale = frac.length - exponent - (all.length - end); // digits after the decimal point
  const written = scale <= 0 ? digits - scale : Math.max(digits, scale) + (scale >= digits ? 1 : 0);
  if (written > MAX_DECIMAL_DIGITS) {
    return { ok: false, reason: `written out without exponent it has ${written} digits; at most ${MAX_DECIMAL_DIGITS} are held exactly` };
  }
  const d = all.slice(first, end);
  let body: string;
  if (scale <= 0) body = d + '0'.repeat(-scale);
  else if (scale < digits) body = `${d.slice(0, digits - scale)}.${d.slice(digits - scale)}`;
  else body = `0.${'0'.repeat(scale - digits)}${d}`;
  const canonical = (sign === '-' ? '-' : '') + body;
  return { ok: true, decimal: { value: Number(canonical), text: canonical } };
}

/** A JS number as a decimal; undefined for NaN and the infinities, which are no meter value. */
export function decimalFromNumber(value: number): DecimalValue | undefined {
  if (!Number.isFinite(value)) return undefined;
  const read = readDecimal(String(value));
  return read.ok ? read.decimal : undefined;
}

/**
 * Reads a decimal written as a JSON string (some meters do): `"  48.542"` -> 48.542. Padding is
 * trimmed; a `+`, `_` separators, hexadecimal or a decimal comma are not numbers.
 */
export function decimalFromText(text: string): DecimalValue | undefined {
  const t = text.trim();
  if (!/^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/.test(t)) return undefined;
  const read = readDecimal(t);
  return read.ok ? read.decimal : undefined;
}

/** Decimal text without exponent (1e-7 -> "0.0000001"); undefined when not finite or too long. */
export function plainDecimalText(value: number): string | undefined {
  return decimalFromNumber(value)?.text;
}

/** Longest text `toScaled` takes: a held value, or the difference of two (up to twice the digits). */
const MAX_SCALED_CHARS = 2 * MAX_DECIMAL_DIGITS + 3;

function toScaled(text: string): { int: bigint; scale: number } | undefined {
  // Only canonical text of bounded length reaches BigInt, so a DecimalValue built by hand with
  // "Infinity" or a million digits is refused instead of thrown on or computed with.
  if (text.length > MAX_SCALED_CHARS || !CANONICAL.test(text)) return undefined;
  const neg = text.startsWith('-');
  const [whole, frac = ''] = (neg ? text.slice(1) : text).split('.');
  const int = BigInt(whole + frac) * (neg ? -1n : 1n);
  return { int, scale: frac.length };
}

function fromScaled(int: bigint, scale: number): string {
  const neg = int < 0n;
  let digits = (neg ? -int : int).toString().padStart(scale + 1, '0');
  if (scale > 0) digits = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`.replace(/\.?0+$/, '');
  return (neg && digits !== '0' ? '-' : '') + digits;
}

/** a - b, exact; undefined when either is not a decimal `readDecimal` could have produced. */
export function subtractDecimal(a: DecimalValue, b: DecimalValue): DecimalValue | undefined {
  const x = toScaled(a.text);
  const y = toScaled(b.text);
  if (!x || !y) return undefined;
  const scale = Math.max(x.scale, y.scale);
  const diff = x.int * 10n ** BigInt(scale - x.scale) - y.int * 10n ** BigInt(scale - y.scale);
  const text = fromScaled(diff, scale);
  return { value: Number(text), text };
}

/** Orders a and b exactly (negative, zero, positive); undefined as for `subtractDecimal`. */
export function compareDecimal(a: DecimalValue, b: DecimalValue): number | undefined {
  const d = subtractDecimal(a, b);
  return d === undefined ? undefined : d.text === '0' ? 0 : d.text.startsWith('-') ? -1 : 1;
}
