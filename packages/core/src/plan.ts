import { z } from 'zod';
import { failureSchema } from './manifest';

/** One image to embed; `key` is relative to the corpus's image store. */
export const planItemSchema = z.object({ articleId: z.string().min(1), key: z.string().min(1) });
export type PlanItem = z.infer<typeof planItemSchema>;

/** `rebuilds/<id>/plan/<shard>.json`: written by the producer's plan stage, read by embedders. */
export const planShardSchema = z.object({
  rebuildId: z.string(),
  shard: z.int().min(0),
  /** Location of the image store the keys are relative to. */
  source: z.string(),
  items: z.array(planItemSchema),
});
export type PlanShard = z.infer<typeof planShardSchema>;

/** `embeddings/<shard>.failures.json`: every image of the shard that could not be embedded. */
export const shardFailuresSchema = z.object({
  shard: z.int().min(0),
  failures: z.array(failureSchema),
});
export type ShardFailures = z.infer<typeof shardFailuresSchema>;
