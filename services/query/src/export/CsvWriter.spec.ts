import { csvCell, CsvWriter } from './CsvWriter';

describe('csvCell', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['+1+2', `"'+1+2"`],
    ['-2+3', `"'-2+3"`],
    ['@SUM(A1)', `"'@SUM(A1)"`],
    ['\t=1', `"'\t=1"`],
    ['\r=1', `"'\r=1"`],
    ['\n=1', `"'\n=1"`],
    [' =1+2', `"' =1+2"`],
    ['\u00a0@SUM(A1)', `"'\u00a0@SUM(A1)"`],
    ['\uff1d1+2', `"'\uff1d1+2"`],
    ['\uff0b1', `"'\uff0b1"`],
    ['\uff0d1', `"'\uff0d1"`],
    ['\uff20SUM(A1)', `"'\uff20SUM(A1)"`],
  ])('neutralises a formula-looking text %j with a leading quote, quoted', (input, expected) => {
    expect(csvCell(input)).toBe(expected);
  });

  it('quotes commas, quotes and line breaks, and leaves plain text alone', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"');
    expect(csvCell('DE-EMP-ALPHA')).toBe('DE-EMP-ALPHA');
    expect(csvCell('a=b')).toBe('a=b');
  });

  it('writes numbers as numbers and null as empty', () => {
    expect(csvCell(-1.5)).toBe('-1.5');
    expect(csvCell(3n)).toBe('3');
    expect(csvCell(null)).toBe('');
    expect(csvCell(undefined)).toBe('');
  });
});

describe('CsvWriter', () => {
  it('writes a header and rows in column order, every cell through csvCell', () => {
    const w = new CsvWriter(['transactionId', 'emspId', 'energy'] as const);
    expect(w.header()).toBe('transactionId,emspId,energy\n');
    expect(w.row({ transactionId: '=1+1', emspId: '@evil', energy: '1.5' })).toBe(`"'=1+1","'@evil",1.5\n`);
    expect(w.row({ transactionId: 'tx' })).toBe('tx,,\n');
  });
});
