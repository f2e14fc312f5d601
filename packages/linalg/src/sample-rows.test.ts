import { sampleRows } from './sample-rows';

describe('sampleRows', () => {
  it('takes every row when the corpus is small', () => {
    expect(sampleRows([2, 3], 10)).toEqual([
      [0, 1],
      [0, 1, 2],
    ]);
  });

  it('takes exactly sampleSize rows, proportionally, distinct and in range', () => {
    const shards = [1000, 1000, 1000, 337, 0];
    const picked = sampleRows(shards, 2000);
    expect(picked.reduce((a, p) => a + p.length, 0)).toBe(2000);
    picked.forEach((rows, s) => {
      expect(new Set(rows).size).toBe(rows.length);
      expect(rows.every((r) => r >= 0 && r < shards[s]!)).toBe(true);
      expect([...rows].sort((a, b) => a - b)).toEqual(rows);
    });
    expect(picked[0]!.length).toBeGreaterThan(picked[3]!.length);
    expect(picked[4]).toEqual([]);
  });
});
