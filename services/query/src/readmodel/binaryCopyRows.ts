/** The signature, flags and header extension length of PostgreSQL's binary COPY format (its docs, "COPY", "Binary Format"). */
const HEADER = Buffer.from('PGCOPY\n\xff\r\n\0\0\0\0\0\0\0\0\0', 'latin1');
const TRAILER = -1;

/**
 * Rows of text values (or null) as one `COPY … FROM STDIN (FORMAT binary)` stream: the header, per row
 * its field count and each field as a 32-bit length (-1 for null) and its UTF-8 bytes, the trailer.
 * Binary, so nothing in a value is escaped (the text format would double every backslash of a stored
 * JSON text). A number, bigint or boolean is written as `String(value)` (what pg sends for such a
 * parameter); an object (which pg would send as JSON, a date or bytes) is refused, so that a copy
 * and an upsert of the same rows can never store different text.
 */
export function binaryCopyRows(rows: readonly (readonly unknown[])[]): Buffer {
  const texts: (string | null)[] = [];
  const lengths: number[] = [];
  let size = HEADER.length + 2;
  for (const row of rows) {
    if (row.length > 0x7fff) throw new RangeError(`a row of ${row.length} fields: binary COPY counts fields in 16 bits`);
    size += 2;
    for (const v of row) {
      const text = v === null || v === undefined ? null : typeof v === 'string' ? v : primitiveText(v);
      const length = text === null ? -1 : Buffer.byteLength(text);
      texts.push(text);
      lengths.push(length);
      size += 4 + Math.max(length, 0);
    }
  }
  const out = Buffer.allocUnsafe(size);
  let at = HEADER.copy(out, 0);
  let k = 0;
  for (const row of rows) {
    at = out.writeInt16BE(row.length, at);
    for (let f = 0; f < row.length; f++, k++) {
      const length = lengths[k];
      at = out.writeInt32BE(length, at);
      if (length > 0) at += out.write(texts[k]!, at, length, 'utf8');
    }
  }
  out.writeInt16BE(TRAILER, at);
  return out;
}

function primitiveText(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  throw new TypeError(`binary COPY writes text values only; got ${typeof v === 'object' ? 'an object' : `a ${typeof v}`}`);
}
