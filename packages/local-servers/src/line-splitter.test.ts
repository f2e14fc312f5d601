import { LineSplitter } from './line-splitter';

describe('LineSplitter', () => {
  it('emits whole lines across chunks, strips \\r, and flushes the rest', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((l) => lines.push(l));
    splitter.push('a\nb');
    splitter.push('c\r\n\nd');
    expect(lines).toEqual(['a', 'bc', '']);
    splitter.flush();
    expect(lines).toEqual(['a', 'bc', '', 'd']);
    splitter.flush();
    expect(lines).toHaveLength(4);
  });

  it('cuts runaway lines', () => {
    const lines: string[] = [];
    const splitter = new LineSplitter((l) => lines.push(l), 4);
    splitter.push('abcdefghij');
    expect(lines).toEqual(['abcd', 'efgh']);
  });
});
