import { parseCsv } from '../test/helpers';
import { csvField, csvRow } from './csv';

describe('csv', () => {
  it('quotes fields with commas, quotes or line breaks only', () => {
    expect(csvField('Strap top')).toBe('Strap top');
    expect(csvField(253)).toBe('253');
    expect(csvField('a, b')).toBe('"a, b"');
    expect(csvField('text "LOVE" here')).toBe('"text ""LOVE"" here"');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
  });

  it('round-trips through an RFC 4180 parser', () => {
    const row = ['0108775015', 'Top in jersey, with "LOVE" print', '', 'x\ny'];
    expect(parseCsv(csvRow(row))).toEqual([row]);
  });
});
