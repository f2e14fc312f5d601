import { parseDay } from './calendar';
import { colourSimilarity, dailyCounts } from './transactions';
import { COLOUR_GROUPS } from './vocab';

describe('dailyCounts', () => {
  it('splits the total exactly, with Black Friday a peak', () => {
    const start = parseDay('2018-09-20');
    const counts = dailyCounts(start, 734, 1_000_003);
    expect(counts).toHaveLength(734);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(1_000_003);
    const blackFriday = parseDay('2019-11-29') - start;
    const median = [...counts].sort((a, b) => a - b)[367]!;
    expect(counts[blackFriday]!).toBeGreaterThan(1.8 * median);
  });

  it('handles totals smaller than the number of days', () => {
    const counts = dailyCounts(parseDay('2020-01-01'), 30, 7);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(7);
  });
});

describe('colourSimilarity', () => {
  it('is 1 on the diagonal, symmetric, and higher for look-alike colours', () => {
    const sim = colourSimilarity();
    const n = COLOUR_GROUPS.length;
    const at = (a: string, b: string) =>
      sim[COLOUR_GROUPS.findIndex((c) => c.name === a) * n + COLOUR_GROUPS.findIndex((c) => c.name === b)]!;
    expect(at('Black', 'Black')).toBe(1);
    expect(at('Black', 'Dark Grey')).toBe(at('Dark Grey', 'Black'));
    expect(at('Black', 'Dark Grey')).toBeGreaterThan(at('Black', 'Light Pink'));
  });
});
