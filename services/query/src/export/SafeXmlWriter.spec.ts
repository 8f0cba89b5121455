import { readContainer } from '@metrology-ledger/ocmf';
import { SafeXmlWriter, xmlEscape } from './SafeXmlWriter';

describe('SafeXmlWriter', () => {
  it('escapes markup in every text', () => {
    expect(xmlEscape(`<a href="x">&'`)).toBe('&lt;a href=&quot;x&quot;&gt;&amp;&apos;');
    const line = SafeXmlWriter.value({ ocmf: 'OCMF|{"ID":"</signedData><x>"}|{}', publicKey: 'ab', transactionId: '"><script>' });
    expect(line).not.toContain('<script>');
    expect(line).not.toContain('</signedData><x>');
  });

  it('writes a document readContainer reads back, dataset text unchanged', () => {
    const ocmf = 'OCMF|{"FV":"1.0","PG":"T1","ID":"a<b&c"}|{"SD":"00"}';
    const xml = SafeXmlWriter.open() + SafeXmlWriter.value({ ocmf, publicKey: '3059', transactionId: 'tx&1' }) + SafeXmlWriter.close();
    const read = readContainer(xml);
    expect(read.ok).toBe(true);
    if (read.ok) expect(read.datasets[0]).toMatchObject({ ocmf, publicKey: '3059' });
  });
});

describe('SafeXmlWriter and characters XML 1.0 forbids', () => {
  // Outside XML 1.0's Char production: C0 controls but tab/LF/CR, lone surrogates, U+FFFE, U+FFFF.
  const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

  it('replaces them by U+FFFD and escapes the rest, exactly', () => {
    expect(xmlEscape('a"<b>&\u0001\u0008c\uFFFE')).toBe('a&quot;&lt;b&gt;&amp;\uFFFD\uFFFDc\uFFFD');
    expect(xmlEscape('\u0000\u000B\u000C\u001F\uFFFF\uD800x\uDC00')).toBe('\uFFFD'.repeat(6) + 'x\uFFFD');
    // Allowed: tab, LF, CR, a surrogate pair, U+FFFD itself, DEL and C1 (allowed in XML 1.0).
    expect(xmlEscape('\t\n\r\uD83D\uDE00\uFFFD\u007F\u0085')).toBe('\t\n\r\uD83D\uDE00\uFFFD\u007F\u0085');
  });

  it('writes a value whose transaction id held them as a well-formed line', () => {
    const line = SafeXmlWriter.value({ ocmf: 'OCMF|{"ID":"\u0002"}|{}', publicKey: 'ab\u0007', transactionId: 'a"<b>&\u0001\u0008c\uFFFE' });
    expect(line).not.toMatch(FORBIDDEN);
    expect(line).toBe(
      '<value transactionId="a&quot;&lt;b&gt;&amp;\uFFFD\uFFFDc\uFFFD" context="Transaction.End"><signedData format="OCMF" encoding="plain">OCMF|{&quot;ID&quot;:&quot;\uFFFD&quot;}|{}</signedData><publicKey encoding="hex">ab\uFFFD</publicKey></value>\n',
    );
    const read = readContainer(SafeXmlWriter.document([{ ocmf: 'OCMF|{}|{}', publicKey: 'ab', transactionId: 'a"<b>&\u0001\u0008c\uFFFE' }]));
    expect(read.ok && read.datasets[0].transactionId).toBe('a"<b>&\uFFFD\uFFFDc\uFFFD');
  });
});
