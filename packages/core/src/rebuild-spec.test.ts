import { describeIssues, rebuildSpecSchema } from './rebuild-spec';

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
    });
    expect(rebuildSpecSchema.parse({ images: 's3://hm-data/images' }).images).toBe('s3://hm-data/images');
  });

  it('names the bad field', () => {
    const result = rebuildSpecSchema.safeParse({ images: 'ftp://x', k: 0, shardSize: 'big', colour: 1 });
    expect(result.success).toBe(false);
    const fields = describeIssues(result.error!).map((i) => i.field);
    expect(fields).toEqual(expect.arrayContaining(['images', 'k', 'shardSize', '(body)']));
  });
});
