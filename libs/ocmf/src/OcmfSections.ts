import { readJson } from './json/readJson';
import { ocmfError, type OcmfError } from './model/OcmfError';
import type { OcmfFinding } from './model/OcmfFinding';
import { quoteBounded } from './model/quoteBounded';

/** Upper bound on one dataset. Real datasets are well under 10 KiB; this guards memory and CPU. */
export const MAX_DATASET_CHARS = 256 * 1024;

export interface OcmfSections {
  /** The exact text between `OCMF|` and the separating `|`: the signed data. */
  payloadText: string;
  signatureText: string;
  /**
   * Text of a fourth `|`-separated section after the signature, when there is one: the public-key
   * section of early OCMF drafts, withdrawn (S.A.F.E. issue #16). It is not signed and is never
   * used as the key.
   */
  fourthSection?: string;
}

export type SectionsResult = { ok: true; sections: OcmfSections } | { ok: false; error: OcmfError };

/** Both sections split and parsed as JSON objects. */
export interface ParsedSections extends OcmfSections {
  payloadJson: Record<string, unknown>;
  signatureJson: Record<string, unknown>;
  /** Departures found while splitting and reading the sections (always deviations: the dataset was read). */
  findings?: OcmfFinding[];
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
  const fast = splitAtLastSeparator(input);
  if (fast) {
    const payloadJson = tryObject(fast.payloadText);
    const signatureJson = payloadJson && tryObject(fast.signatureRead);
    if (payloadJson && signatureJson) return { ok: true, sections: { payloadText: fast.payloadText, signatureText: fast.signatureText, payloadJson, signatureJson } };
  }
  const split = splitOcmf(input);
  if (!split.ok) return split;
  const { payloadText, signatureText, fourthSection } = split.sections;
  const findings: OcmfFinding[] = [];
  const payloadJson = readSection(payloadText, 'payload', findings);
  if (!payloadJson.ok) return payloadJson;
  const signatureJson = readSection(signatureText, 'signature', findings);
  if (!signatureJson.ok) return signatureJson;
  const sections: ParsedSections = { payloadText, signatureText, payloadJson: payloadJson.value, signatureJson: signatureJson.value };
  if (fourthSection !== undefined) {
    sections.fourthSection = fourthSection;
    findings.push({
      severity: 'deviation',
      field: 'sections',
      message:
        `a fourth section ${quoteBounded(fourthSection.trim())} follows the signature: the public-key section of early OCMF drafts, ` +
        'withdrawn (S.A.F.E. issue #16). It is not signed and is ignored, as the S.A.F.E. transparency software ignores it; ' +
        'the key is always the one registered for the meter, never one the dataset brings',
    });
  }
  if (findings.length > 0) sections.findings = findings;
  return { ok: true, sections };
}

/**
 * The fast path's split of `parseOcmfSections`: the header, then the last `|{` as the separator, the
 * signature section ending in `}` after its trailing white space. `signatureRead` is the signature
 * section as it must be read (trailing white space included: JSON allows only its own four white-space
 * characters there), `signatureText` the same without the trailing white space. The split is the
 * structural one only when both sections then read as JSON objects: the caller checks that. Undefined
 * when the text does not have this form.
 */
export function splitAtLastSeparator(input: string): { payloadText: string; signatureText: string; signatureRead: string } | undefined {
  if (typeof input !== 'string' || input.length > MAX_DATASET_CHARS) return undefined;
  const head = input.indexOf('OCMF|');
  const sep = input.lastIndexOf('|{');
  if (head < 0 || sep <= head + 4 || (head !== 0 && input.slice(0, head).trim() !== '')) return undefined;
  const signatureRead = input.slice(sep + 1);
  const signatureText = signatureRead.trimEnd();
  if (!signatureText.endsWith('}')) return undefined;
  return { payloadText: input.slice(head + 5, sep), signatureText, signatureRead };
}

/** The text as a JSON object (`JSON.parse`), or undefined. */
export function tryObject(text: string): Record<string, unknown> | undefined {
  try {
    const v = JSON.parse(text);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Reads one section with the tolerant JSON reader: what RFC 8259 forbids but the S.A.F.E.
 * transparency software reads (Gson 2.8.9, lenient: a raw control character in a string, a number
 * with leading zeros) is accepted with a deviation; anything else is `malformed-json` with where
 * and why. Only reached when `JSON.parse` refused a section, or a `|` had to be found by structure.
 */
function readSection(
  text: string,
  section: 'payload' | 'signature',
  findings: OcmfFinding[],
): { ok: true; value: Record<string, unknown> } | { ok: false; error: OcmfError } {
  const read = readJson(text, { tolerant: true });
  if (!read.ok) return { ok: false, error: ocmfError('malformed-json', `${section} section is not valid JSON: ${read.reason}`) };
  const value = read.value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `a ${typeof value}`;
    return { ok: false, error: ocmfError('malformed-json', `${section} section is ${kind}, not a JSON object`) };
  }
  for (const t of read.tolerated) {
    findings.push({
      severity: 'deviation',
      field: section,
      message:
        t.kind === 'control-character-in-string'
          ? `raw control character ${t.text} inside a string at offset ${t.offset} of the ${section} section: RFC 8259 §7 requires it escaped; ` +
            'read as the S.A.F.E. transparency software (Gson, lenient) reads it. The meter or gateway should escape it'
          : `number ${quoteBounded(t.text)} at offset ${t.offset} of the ${section} section is not in RFC 8259 §6 form (leading zero, "+" or bare "."); ` +
            'read as the S.A.F.E. transparency software (Gson, lenient) reads it. The meter or gateway should write plain JSON numbers',
    });
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
  const sections: OcmfSections = { payloadText: input.slice(payloadStart, payloadEnd), signatureText: input.slice(sigStart, sigEnd) };
  if (sigEnd !== input.length) {
    if (input.charCodeAt(sigEnd) !== 0x7c /* | */) {
      return fail('malformed-sections', `unexpected text ${quoteBounded(input.slice(sigEnd, sigEnd + 24))} after the signature section at offset ${sigEnd}`);
    }
    const fourth = input.slice(sigEnd + 1);
    if (fourth.includes('|')) {
      return fail(
        'malformed-sections',
        'more than four "|"-separated sections: OCMF defines the header, the payload and the signature, and its drafts a fourth (public key) section; nothing more',
      );
    }
    sections.fourthSection = fourth;
  }
  return { ok: true, sections };
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
