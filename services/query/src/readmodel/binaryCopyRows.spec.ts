import { binaryCopyRows } from './binaryCopyRows';

/** Reads the stream back as PostgreSQL would: the header, then rows of length-prefixed fields, up to the trailer. */
function readBack(b: Buffer): (string | null)[][] {
  expect(b.subarray(0, 11).toString('latin1')).toBe('PGCOPY\n\xff\r\n\0');
  expect(b.readInt32BE(11)).toBe(0); // flags
  expect(b.readInt32BE(15)).toBe(0); // header extension length
  const rows: (string | null)[][] = [];
  let at = 19;
  for (;;) {
    const fields = b.readInt16BE(at);
    at += 2;
    if (fields === -1) break;
    const row: (string | null)[] = [];
    for (let f = 0; f < fields; f++) {
      const length = b.readInt32BE(at);
      at += 4;
      row.push(length === -1 ? null : b.toString('utf8', at, at + length));
      at += Math.max(length, 0);
    }
    rows.push(row);
  }
  expect(at).toBe(b.length);
  return rows;
}

describe('binaryCopyRows', () => {
  it('writes each value as its UTF-8 bytes with their length, null as -1, and nothing escaped', () => {
    const rows = [
      ['stream', '10', null, '{"ocmf":"OCMF|{\\"RV\\":1.0}|{}","x":"a\\\\b"}'],
      ['Zähler € 𝄞', '', 'tab\there\nline', null],
    ];
    const b = binaryCopyRows(rows);
    expect(readBack(b)).toEqual(rows);
    // The lengths are of the UTF-8 bytes, not of the UTF-16 string.
    const second = 19 + 2 + (4 + 6) + (4 + 2) + 4 + (4 + rows[0][3]!.length) + 2;
    expect(b.readInt32BE(second)).toBe(Buffer.byteLength('Zähler € 𝄞'));
    expect(b.readInt32BE(second)).not.toBe('Zähler € 𝄞'.length);
  });

  it('writes an empty text as a field of length 0 (not null) and a number or boolean as its text, as pg sends a parameter', () => {
    expect(readBack(binaryCopyRows([['', 42, true, undefined]]))).toEqual([['', '42', 'true', null]]);
  });

  it('refuses an object, which an upsert would send as JSON, a date or bytes', () => {
    for (const v of [{ a: 1 }, new Date(0), Buffer.from('x'), ['x']]) expect(() => binaryCopyRows([['s', v]])).toThrow(/text values only; got an object/);
    expect(() => binaryCopyRows([[Symbol('s')]])).toThrow(/got a symbol/);
  });

  it('writes no rows as the header and the trailer only', () => {
    const b = binaryCopyRows([]);
    expect(b.length).toBe(21);
    expect(readBack(b)).toEqual([]);
  });
});
