import { recommendOptionsSchema } from '@lookalike/core';
import { DEFAULT_RECOMMEND_OPTIONS, resolveRecommendOptions } from '@lookalike/recsys';

/** The rebuild spec's `recommend` (zod, in core) and the library's options (recsys) name the same settings. */
describe('recommend options at the boundary', () => {
  it('the spec schema accepts exactly the options the library knows', () => {
    expect(Object.keys(recommendOptionsSchema.shape).sort()).toEqual(
      Object.keys(DEFAULT_RECOMMEND_OPTIONS).sort(),
    );
    // Every default passes the schema, and what the schema accepts the library resolves.
    expect(recommendOptionsSchema.parse(DEFAULT_RECOMMEND_OPTIONS)).toEqual(DEFAULT_RECOMMEND_OPTIONS);
    expect(resolveRecommendOptions(recommendOptionsSchema.parse({ visualWeight: 0.5 })).visualWeight).toBe(
      0.5,
    );
    expect(recommendOptionsSchema.safeParse({ visualWeight: -1 }).success).toBe(false);
    expect(recommendOptionsSchema.safeParse({ bogus: 1 }).success).toBe(false);
  });
});
