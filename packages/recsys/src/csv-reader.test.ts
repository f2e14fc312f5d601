import { chunks } from '../test/helpers';
import { CsvParser, readCsv, type CsvRecord } from './csv-reader';
import { RecsysParseError } from './errors';

async function parse(text: string | Buffer, size: number, opts: { lenient?: boolean } = {}) {
  const rows: { line: number; fields: string[] }[] = [];
  let header: string[] = [];
  const summary = await readCsv(
    chunks(text, size),
    { file: 't.csv', ...opts },
    {
      header: (r: CsvRecord) => {
        header = r.texts();
        return undefined;
      },
      row: (r: CsvRecord) => {
        if (r.text(0) === 'bad') return 'bad row';
        rows.push({ line: r.line, fields: r.texts() });
        return undefined;
      },
    },
  );
  return { header, rows, summary };
}

describe('readCsv', () => {
  const text =
    'id,name,desc\r\n' +
    '1,plain,simple\r\n' +
    '2,"quoted, with comma","say ""hi"""\r\n' +
    '\r\n' +
    '3,"multi\nline\nfield",x\n' +
    '4,,""\n' +
    '5,"",last';

  it.each([1, 2, 3, 5, 7, 64, 1 << 16])(
    'parses RFC 4180 quoting, CRLF, blank lines and a missing final newline (chunks of %i bytes)',
    async (size) => {
      const { header, rows, summary } = await parse(text, size);
      expect(header).toEqual(['id', 'name', 'desc']);
      expect(rows).toEqual([
        { line: 2, fields: ['1', 'plain', 'simple'] },
        { line: 3, fields: ['2', 'quoted, with comma', 'say "hi"'] },
        { line: 5, fields: ['3', 'multi\nline\nfield', 'x'] },
        { line: 8, fields: ['4', '', ''] },
        { line: 9, fields: ['5', '', 'last'] },
      ]);
      expect(summary).toMatchObject({ rows: 5, skipped: 0, lines: 9 });
    },
  );

  it('skips a UTF-8 byte-order mark and decodes UTF-8', async () => {
    const { header, rows } = await parse(
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('a,b\nÄ,"ø,å"\n')]),
      1,
    );
    expect(header).toEqual(['a', 'b']);
    expect(rows[0]!.fields).toEqual(['Ä', 'ø,å']);
  });

  it('names file and line of a malformed row, or counts and skips it when lenient', async () => {
    const t = 'a,b\n1,2\nbad,3\n"x"y,4\n5,"unterminated\n6,7\n';
    await expect(parse(t, 4)).rejects.toThrow(new RecsysParseError('t.csv', 3, 'bad row'));
    const { rows, summary } = await parse(t, 4, { lenient: true });
    expect(rows.map((r) => r.fields)).toEqual([['1', '2']]);
    expect(summary.skipped).toBe(3);
    expect(summary.issues).toEqual([
      't.csv:3: bad row',
      't.csv:4: unexpected character "y" after a closing quote',
      't.csv:5: unterminated quoted field',
    ]);
  });

  it('treats a quote inside an unquoted field literally and keeps a trailing empty field', async () => {
    const { rows } = await parse('a,b,c\nx"y,1,\n', 3);
    expect(rows[0]!.fields).toEqual(['x"y', '1', '']);
  });

  it('rejects an empty file and a bad header even when lenient', async () => {
    await expect(parse('', 4, { lenient: true })).rejects.toThrow('t.csv:1: empty file');
    const p = new CsvParser({ file: 'h.csv', lenient: true }, { header: () => 'no', row: () => undefined });
    expect(() => p.write('x\n')).toThrow('h.csv:1: no');
  });

  it('bounds the length of a record', () => {
    const p = new CsvParser(
      { file: 'big.csv', maxRecordBytes: 10 },
      { header: () => undefined, row: () => undefined },
    );
    p.write('a\n');
    expect(() => p.write('"0123456789abc')).toThrow('big.csv:2: record longer than 10 bytes');
  });
});
