import { canonicalSpec, describeIssues, rebuildSpecSchema, specDifferences } from './rebuild-spec';

describe('rebuildSpecSchema', () => {
  it('fills defaults and normalises local paths', () => {
    const spec = rebuildSpecSchema.parse({ images: '/data/hm/images/' });
    expect(spec).toEqual({
      images: 'file:///data/hm/images',
      shardSize: 1000,
      pcaDims: 256,
      pcaSampleSize: 20_000,
      k: 20,
      neighbourRowsPerJob: 2_500,
      batchSize: 32,
      publish: true,
      holdoutDays: 7,
      lenient: false,
      customersPerJob: 250_000,
      padding: 'edge',
      powerNorm: 0.5,
      pcaWhiten: 0.5,
    });
    expect(rebuildSpecSchema.parse({ images: 's3://hm-data/images' }).images).toBe('s3://hm-data/images');
  });

  it('names the bad field', () => {
    const result = rebuildSpecSchema.safeParse({ images: 'ftp://x', k: 0, shardSize: 'big', colour: 1 });
    expect(result.success).toBe(false);
    const fields = describeIssues(result.error!).map((i) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['images', 'k', 'shardSize', '(body)']));
  });

  it('takes transactions and customers together or not at all, naming both in the error', () => {
    const issues = (v: Record<string, unknown>) => {
      const result = rebuildSpecSchema.safeParse({ images: '/d/images', ...v });
      return result.success ? [] : describeIssues(result.error);
    };
    const rule = 'transactions and customers must be given together';
    expect(issues({ transactions: '/d/t.csv' })).toEqual([{ field: 'customers', message: rule }]);
    expect(issues({ customers: '/d/c.csv' })).toEqual([{ field: 'transactions', message: rule }]);
    expect(issues({ transactions: '/d/t.csv', customers: '/d/c.csv' })).toEqual([]);
    expect(issues({})).toEqual([]);
    // Stated with the other fields' problems, not instead of them.
    expect(issues({ transactions: '/d/t.csv', k: 0 }).map((i) => i.field)).toEqual(['k', 'customers']);
  });
});

describe('comparing specs', () => {
  const parse = (v: Record<string, unknown>) => rebuildSpecSchema.parse(v);

  it('sees the same spec whatever the key order and however defaults were given', () => {
    const a = parse({ images: '/d/images/', k: 20, pcaDims: 8 });
    const b = parse({ pcaDims: 8, images: 'file:///d/images' });
    expect(specDifferences(a, b)).toEqual([]);
    expect(canonicalSpec(a)).toBe(canonicalSpec(b));
  });

  it('names every differing field, optional ones included', () => {
    const a = parse({ images: '/d/images', k: 5 });
    const b = parse({ images: '/d/images', k: 7, articles: '/d/articles.csv', lenient: true });
    expect(specDifferences(a, b)).toEqual(['articles', 'k', 'lenient']);
    expect(canonicalSpec(a)).not.toBe(canonicalSpec(b));
  });
});
