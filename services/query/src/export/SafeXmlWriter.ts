/**
 * The SAFE transparency-software XML (`<values><value>…`) written value by value, so an export of any
 * size streams: `open()`, `value(…)` per dataset, `close()`. Every text goes through `xmlText`:
 * characters XML 1.0 does not allow at all (control characters but tab, line feed and carriage
 * return; lone surrogates; U+FFFE, U+FFFF) become U+FFFD, everything else that is markup is escaped,
 * so one unsigned CSMS field can never make a document unreadable. libs/ocmf's `readContainer` reads
 * the result.
 */

/**
 * Characters outside XML 1.0's `Char` production (#x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] |
 * [#x10000-#x10FFFF]): C0 controls but tab/LF/CR, lone surrogates, U+FFFE and U+FFFF.
 */
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** `text` with every character XML 1.0 forbids replaced by U+FFFD (the replacement character). */
export function xmlChars(text: string): string {
  return text.replace(NOT_XML_CHAR, '\uFFFD');
}

/** `text` made safe for element content and attribute values: forbidden characters → U+FFFD, markup escaped. */
export function xmlEscape(text: string): string {
  return xmlChars(text).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

// Only the five predefined entities: libs/ocmf's reader (fast-xml-parser) does not decode numeric
// character references, so tab, line feed and carriage return (allowed in XML 1.0) are written as they are.
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

export const SafeXmlWriter = {
  open: (): string => '<?xml version="1.0" encoding="UTF-8"?>\n<values>\n',
  value: (v: { ocmf: string; publicKey: string; transactionId?: string | null }): string =>
    `<value transactionId="${xmlEscape(v.transactionId ?? '')}" context="Transaction.End"><signedData format="OCMF" encoding="plain">${xmlEscape(v.ocmf)}</signedData><publicKey encoding="hex">${xmlEscape(v.publicKey)}</publicKey></value>\n`,
  close: (): string => '</values>\n',
  /** A whole document of the given values (the eMSP's one-session answer). */
  document: (values: readonly { ocmf: string; publicKey: string; transactionId?: string | null }[]): string =>
    SafeXmlWriter.open() + values.map((v) => SafeXmlWriter.value(v)).join('') + SafeXmlWriter.close(),
};
