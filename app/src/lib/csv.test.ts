import { describe, expect, it } from 'vitest';
import { csvField, toCsv } from './csv';

describe('RFC 4180 fields', () => {
  it('leaves plain fields as they are', () => {
    expect(csvField('5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY')).toBe('5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY');
    expect(csvField('LAB_RESULTS|IMAGING')).toBe('LAB_RESULTS|IMAGING');
    expect(csvField(12)).toBe('12');
    expect(csvField(true)).toBe('true');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField('')).toBe('');
  });

  it('quotes fields with commas, quotes, CR or LF, and doubles the quotes', () => {
    expect(csvField('consent #1, then #2')).toBe('"consent #1, then #2"');
    expect(csvField('the "basis"')).toBe('"the ""basis"""');
    expect(csvField('"')).toBe('""""');
    expect(csvField('line 1\nline 2')).toBe('"line 1\nline 2"');
    expect(csvField('a\r\nb')).toBe('"a\r\nb"');
  });

  it('quotes fields with leading or trailing spaces, which readers may trim', () => {
    expect(csvField(' x')).toBe('" x"');
    expect(csvField('x ')).toBe('"x "');
    expect(csvField('a b')).toBe('a b');
  });
});

describe('CSV documents', () => {
  const columns = [
    { header: 'time', value: (r: { t: string; n: number | null; d: string }) => r.t },
    { header: 'block', value: (r: { t: string; n: number | null; d: string }) => r.n },
    { header: 'basis, in words', value: (r: { t: string; n: number | null; d: string }) => r.d },
  ];

  it('writes a header record and a record per row, each ended by CRLF', () => {
    const csv = toCsv(columns, [
      { t: '2026-01-01T00:00:00.000Z', n: 7, d: 'consent #1' },
      { t: '2026-01-02T00:00:00.000Z', n: null, d: 'no consent, "denied"' },
    ]);
    expect(csv).toBe(
      'time,block,"basis, in words"\r\n' +
        '2026-01-01T00:00:00.000Z,7,consent #1\r\n' +
        '2026-01-02T00:00:00.000Z,,"no consent, ""denied"""\r\n',
    );
  });

  it('writes only the header for no rows', () => {
    expect(toCsv(columns, [])).toBe('time,block,"basis, in words"\r\n');
  });

  it('round-trips through a strict RFC 4180 reader', () => {
    const rows = [{ t: 'a,"b"\r\nc', n: 1, d: ' ' }];
    const csv = toCsv(columns, rows);
    expect(parse(csv)).toEqual([
      ['time', 'block', 'basis, in words'],
      ['a,"b"\r\nc', '1', ' '],
    ]);
  });
});

/** A strict RFC 4180 reader, for the round trip. */
function parse(text: string): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (text[i] === '"' && text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (text[i] === '"') {
          i++;
          break;
        } else {
          field += text[i];
          i++;
        }
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r') field += text[i++];
    }
    fields.push(field);
    if (text[i] === ',') i++;
    else if (text.startsWith('\r\n', i)) {
      i += 2;
      records.push(fields);
      fields = [];
    } else throw new Error(`unexpected ${JSON.stringify(text[i])} at ${i}`);
  }
  return records;
}
