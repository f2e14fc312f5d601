import { z } from 'zod';

/** One recommendation method's figures: MAP@12 and recall@12 overall, on new articles and for new customers; coverage. */
export const methodFiguresSchema = z.object({
  name: z.string(),
  map12: z.number(),
  recall12: z.number(),
  newMap12: z.number().optional(),
  newRecall12: z.number().optional(),
  /** Over customers without a purchase before the holdout (new customers), when there were any. */
  newCustomerMap12: z.number().optional(),
  newCustomerRecall12: z.number().optional(),
  coverage: z.number(),
});
export type MethodFigures = z.infer<typeof methodFiguresSchema>;
