import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** RFC 4180 parser (quoted fields, doubled quotes, commas and newlines inside quotes); returns rows of fields. */
export function parseCsv(text: string): string[][] {
  if (!text.includes('"'))
    return text
      .replace(/\n$/, '')
      .split('\n')
      .map((line) => line.split(','));
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

/** A CSV file as header + records keyed by column. */
export function readCsv(
  dir: string,
  name: string,
): { header: string[]; records: Record<string, string>[]; text: string } {
  const text = readFileSync(join(dir, name), 'utf8');
  const [header, ...rows] = parseCsv(text);
  return {
    header: header!,
    text,
    records: rows.map((r) => Object.fromEntries(header!.map((h, i) => [h, r[i] ?? '']))),
  };
}
