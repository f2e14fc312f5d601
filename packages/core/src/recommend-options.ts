import { z } from 'zod';

const weight = z.number().min(0).max(1000);
const days = z.int().min(1).max(3650);

/**
 * A rebuild's recommender options (`recommend` in the spec): the hybrid's source weights and windows and the
 * visual baseline's settings. `@lookalike/recsys` (`RecommendOptions`) documents each and fills in the defaults;
 * the resolved options are recorded in the model, the manifest and evaluation.json.
 */
export const recommendOptionsSchema = z.strictObject({
  recencyHalfLifeDays: z.number().positive().max(3650).optional(),
  maxHistoryPurchases: z.int().min(1).max(10_000).optional(),
  repurchaseWeight: weight.optional(),
  sameProductWeight: weight.optional(),
  visualWeight: weight.optional(),
  newArrivalWeight: weight.optional(),
  trendingWeight: weight.optional(),
  activeWindowDays: days.optional(),
  trendWindowDays: days.optional(),
  trendHalfLifeDays: z.number().positive().max(3650).optional(),
  selfSimilarity: weight.optional(),
  popularityPriorWeight: weight.optional(),
  excludePurchased: z.boolean().optional(),
  useColdLinks: z.boolean().optional(),
});
export type RecommendOptionsInput = z.infer<typeof recommendOptionsSchema>;

/** Resolved recommender options as recorded (every option, defaults filled in). */
export const recordedRecommendOptionsSchema = z.record(z.string(), z.union([z.number(), z.boolean()]));
export type RecordedRecommendOptions = z.infer<typeof recordedRecommendOptionsSchema>;
