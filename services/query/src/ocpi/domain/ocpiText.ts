/** Text from outside, quoted and bounded, for messages (never the whole of what was sent). */
export function quoted(value: unknown, max = 64): string {
  const s = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  return JSON.stringify(s.length > max ? `${s.slice(0, max)}…` : s);
}

/** OCPI CiString(n): printable ASCII, at most n characters. */
export function isCiString(v: unknown, max: number, min = 1): v is string {
  return typeof v === 'string' && v.length >= min && v.length <= max && /^[\x20-\x7e]*$/.test(v);
}

/** OCPI string(n): Unicode text of at most n characters. */
export function isText(v: unknown, max: number, min = 1): v is string {
  return typeof v === 'string' && v.length >= min && v.length <= max;
}

/** An absolute http(s) URL, as OCPI's URL type requires. */
export function isUrl(v: unknown): v is string {
  if (typeof v !== 'string' || v.length > 2048) return false;
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

// RFC 3339 as OCPI's DateTime takes it (types.asciidoc): UTC, with Z or without a zone, fractional seconds allowed.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z?$/;

/** An OCPI DateTime that exists, as an ISO text in UTC; undefined for anything else (`2026-02-30T…` included). */
export function ocpiDateTime(v: unknown): string | undefined {
  const ms = typeof v === 'string' && DATE_TIME.test(v) ? Date.parse(v.endsWith('Z') ? v : `${v}Z`) : NaN;
  if (!Number.isFinite(ms) || new Date(ms).toISOString().slice(0, 10) !== (v as string).slice(0, 10)) return undefined;
  return new Date(ms).toISOString();
}
