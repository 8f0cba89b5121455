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
