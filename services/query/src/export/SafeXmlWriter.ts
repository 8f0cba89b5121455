/**
 * The SAFE transparency-software XML (`<values><value>…`) written value by value, so an export of any
 * size streams: `open()`, `value(…)` per dataset, `close()`. Every text is XML-escaped; libs/ocmf's
 * `readContainer` reads the result.
 */
export function xmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

export const SafeXmlWriter = {
  open: (): string => '<?xml version="1.0" encoding="UTF-8"?>\n<values>\n',
  value: (v: { ocmf: string; publicKey: string; transactionId?: string | null }): string =>
    `<value transactionId="${xmlEscape(v.transactionId ?? '')}" context="Transaction.End"><signedData format="OCMF" encoding="plain">${xmlEscape(v.ocmf)}</signedData><publicKey encoding="hex">${xmlEscape(v.publicKey)}</publicKey></value>\n`,
  close: (): string => '</values>\n',
};
