import { ocmfError, type OcmfError } from './model/OcmfError';

/** Upper bound on one dataset. Real datasets are well under 10 KiB; this guards memory and CPU. */
export const MAX_DATASET_CHARS = 256 * 1024;

export interface OcmfSections {
  /** The exact text between `OCMF|` and the separating `|`: the signed data. */
  payloadText: string;
  signatureText: string;
}

export type SectionsResult = { ok: true; sections: OcmfSections } | { ok: false; error: OcmfError };

/** Both sections split and parsed as JSON objects. */
export interface ParsedSections extends OcmfSections {
  payloadJson: Record<string, unknown>;
  signatureJson: Record<string, unknown>;
}

export type ParsedSectionsResult = { ok: true; sections: ParsedSections } | { ok: false; error: OcmfError };

/**
 * Splits and JSON-parses both sections. Fast path: take the last `|{` as the separator and accept it
 * only when both sides parse as JSON objects. That split is then the structural one: were the `|{`
 * inside a string of the signature section, the text before it would be the payload object followed
 * by `|…` and could not parse; were it inside the payload, the text before it would end inside a
 * string. Anything else goes through the structural scanner, which also names the problem.
 */
export function parseOcmfSections(input: string): ParsedSectionsResult {
  if (typeof input === 'string' && input.length <= MAX_DATASET_CHARS) {
    const head = input.indexOf('OCMF|');
    const sep = input.lastIndexOf('|{');
    if (head >= 0 && sep > head + 4 && (head === 0 || input.slice(0, head).trim() === '')) {
      const payloadText = input.slice(head + 5, sep);
      const signatureText = input.slice(sep + 1);
      const payloadJson = tryObject(payloadText);
      const signatureJson = payloadJson && tryObject(signatureText);
      if (payloadJson && signatureJson && signatureText.trimEnd().endsWith('}')) {
        return { ok: true, sections: { payloadText, signatureText: signatureText.trimEnd(), payloadJson, signatureJson } };
      }
    }
  }
  const split = splitOcmf(input);
  if (!split.ok) return split;
  const { payloadText, signatureText } = split.sections;
  const payloadJson = parseObject(payloadText, 'payload');
  if (!payloadJson.ok) return payloadJson;
  const signatureJson = parseObject(signatureText, 'signature');
  if (!signatureJson.ok) return signatureJson;
  return { ok: true, sections: { payloadText, signatureText, payloadJson: payloadJson.value, signatureJson: signatureJson.value } };
}

function tryObject(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

function parseObject(text: string, section: string): { ok: true; value: Record<string, unknown> } | { ok: false; error: OcmfError } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: ocmfError('malformed-json', `${section} section is not valid JSON: ${(e as Error).message}`) };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { ok: false, error: ocmfError('malformed-json', `${section} section is not a JSON object`) };
  }
  return { ok: true, value: value as Record<string, unknown> };
}

/**
 * Splits `OCMF|<payload>|<signature>` by JSON structure, not by `|`: a `|` may occur
 * inside a string value (TT, ID, vendor fields), so each section ends where its JSON object
 * closes. The payload is returned byte-exact; nothing is re-serialised.
 */
export function splitOcmf(input: string): SectionsResult {
  if (typeof input !== 'string') return fail('not-ocmf', 'input is not text');
  if (input.length > MAX_DATASET_CHARS) {
    return fail('too-large', `dataset is ${input.length} characters; the limit is ${MAX_DATASET_CHARS}`);
  }
  let start = 0;
  while (start < input.length && isSpace(input.charCodeAt(start))) start++;
  if (input.charCodeAt(start) === 0xfeff) start++;
  if (!input.startsWith('OCMF|', start)) {
    return fail('not-ocmf', 'dataset does not start with the header "OCMF|"');
  }
  const payloadStart = start + 5;
  const payloadEnd = scanObjectSection(input, payloadStart);
  if (typeof payloadEnd === 'string') return fail('malformed-sections', `payload section: ${payloadEnd}`);
  if (input.charCodeAt(payloadEnd) !== 0x7c /* | */) {
    return fail('malformed-sections', 'no "|" between the payload section and the signature section');
  }
  const sigStart = payloadEnd + 1;
  const sigEnd = scanObjectSection(input, sigStart);
  if (typeof sigEnd === 'string') return fail('malformed-sections', `signature section: ${sigEnd}`);
  if (sigEnd !== input.length) {
    return fail('malformed-sections', `unexpected text after the signature section at offset ${sigEnd}`);
  }
  return {
    ok: true,
    sections: { payloadText: input.slice(payloadStart, payloadEnd), signatureText: input.slice(sigStart, sigEnd) },
  };
}

function fail(code: OcmfError['code'], reason: string): SectionsResult {
  return { ok: false, error: ocmfError(code, reason) };
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/**
 * From `from`, skips white space, scans one JSON object (strings and escapes respected) and the
 * white space after it. Returns the index after that white space, or a reason.
 */
function scanObjectSection(s: string, from: number): number | string {
  let i = from;
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  if (s.charCodeAt(i) !== 0x7b /* { */) return 'does not start with a JSON object';
  let depth = 0;
  let inString = false;
  for (; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) {
      depth--;
      if (depth === 0) {
        i++;
        while (i < s.length && isSpace(s.charCodeAt(i))) i++;
        return i;
      }
      if (depth < 0) return 'unbalanced brackets';
    }
  }
  return inString ? 'unterminated string' : 'JSON object is not closed';
}
