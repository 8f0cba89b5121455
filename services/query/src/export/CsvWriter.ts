/**
 * The one CSV writer of the service (datasets export, audit report): RFC 4180 quoting, and cells a
 * spreadsheet would run as a formula neutralised the OWASP way. Text beginning with `=`, `+`, `-`,
 * `@` (also their full-width forms `＝ ＋ － ＠`, and after leading white space, which spreadsheets
 * skip), tab, carriage return or line feed gets a leading single quote and is quoted, so `=HYPERLINK(…)` from an
 * unsigned CSMS field (transaction id, eMSP id) arrives as the text `'=HYPERLINK(…)`. Numbers,
 * bigints and booleans are written as they are (they cannot be formulas); null and undefined are empty.
 */
const FORMULA_START = /^(\s*[=+\-@\uff1d\uff0b\uff0d\uff20]|[\t\r\n])/u;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  if (FORMULA_START.test(text)) return `"'${text.replace(/"/g, '""')}"`;
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Rows of a fixed set of columns: `header()` once, then `row(record)` per record, each a whole line. */
export class CsvWriter<K extends string> {
  constructor(readonly columns: readonly K[]) {}

  header(): string {
    return this.line(this.columns);
  }

  row(record: Partial<Record<K, unknown>>): string {
    return this.line(this.columns.map((c) => record[c]));
  }

  /** One line of cells in column order. */
  line(cells: readonly unknown[]): string {
    return `${cells.map(csvCell).join(',')}\n`;
  }
}
