/**
 * CSV as RFC 4180 writes it: records separated by CRLF, fields by commas; a field that holds a
 * comma, a double quote, CR or LF (or starts or ends with a space, which some readers trim) is
 * enclosed in double quotes, and a double quote inside it is doubled. Every record, the header
 * too, has as many fields as there are columns.
 */

/** One field's text: null and undefined are empty, booleans `true`/`false`. */
export function csvField(value: unknown): string {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export interface CsvColumn<Row> {
  /** The header's text. */
  header: string;
  /** The field's value for a row. */
  value: (row: Row) => unknown;
}

/** The CSV text of `rows` under `columns`: a header record, then a record per row, each ended by CRLF. */
export function toCsv<Row>(columns: readonly CsvColumn<Row>[], rows: readonly Row[]): string {
  const line = (fields: unknown[]) => `${fields.map(csvField).join(',')}\r\n`;
  return line(columns.map((c) => c.header)) + rows.map((r) => line(columns.map((c) => c.value(r)))).join('');
}
