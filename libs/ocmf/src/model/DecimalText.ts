import type { DecimalValue } from './OcmfDataset';

/**
 * Exact decimal arithmetic on meter values. Values are carried as decimal text and computed as
 * scaled integers, so `0.2597 - 0.2596` is `0.0001`, never `0.00009999999999998899`.
 */
export function decimalFromNumber(value: number): DecimalValue {
  return { value, text: plainDecimalText(value) };
}

/** Reads a decimal written as a JSON string (some meters do): `"  48.542"` -> 48.542. */
export function decimalFromText(text: string): DecimalValue | undefined {
  const t = text.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return undefined;
  const value = Number(t);
  return Number.isFinite(value) ? { value, text: plainDecimalText(value) } : undefined;
}

/** Decimal text without exponent (1e-7 -> "0.0000001"). */
export function plainDecimalText(value: number): string {
  const s = String(value);
  if (!/[eE]/.test(s)) return s;
  return value.toFixed(20).replace(/\.?0+$/, '');
}

function toScaled(text: string): { int: bigint; scale: number } {
  const neg = text.startsWith('-');
  const body = neg || text.startsWith('+') ? text.slice(1) : text;
  const [whole, frac = ''] = body.split('.');
  const int = BigInt((whole || '0') + frac) * (neg ? -1n : 1n);
  return { int, scale: frac.length };
}

function fromScaled(int: bigint, scale: number): string {
  const neg = int < 0n;
  let digits = (neg ? -int : int).toString().padStart(scale + 1, '0');
  if (scale > 0) digits = `${digits.slice(0, -scale)}.${digits.slice(-scale)}`.replace(/\.?0+$/, '');
  return (neg && digits !== '0' ? '-' : '') + digits;
}

/** a - b, exact. */
export function subtractDecimal(a: DecimalValue, b: DecimalValue): DecimalValue {
  const x = toScaled(a.text);
  const y = toScaled(b.text);
  const scale = Math.max(x.scale, y.scale);
  const diff = x.int * 10n ** BigInt(scale - x.scale) - y.int * 10n ** BigInt(scale - y.scale);
  const text = fromScaled(diff, scale);
  return { value: Number(text), text };
}
