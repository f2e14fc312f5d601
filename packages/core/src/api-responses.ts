import { z } from 'zod';
import { rebuildIdSchema } from './ids';
import { manifestSchema, REBUILD_STATUSES } from './manifest';

/**
 * The producer's HTTP answers, one schema each: the producer builds them, the CLI and the tests
 * parse them. A field added here is added for all three.
 */

/** One problem of a refused request: the field (dotted path, `(body)` for the whole) and why. */
export const requestIssueSchema = z.object({ field: z.string(), message: z.string() });
export type RequestIssue = z.infer<typeof requestIssueSchema>;

/** What a rebuild is waiting for: a storage, Redis or network outage being ridden out. */
export const rebuildWaitingSchema = z.object({
  for: z.enum(['storage', 'redis', 'network']),
  /** Jobs waiting to retry (0 when the producer itself cannot reach it). */
  jobs: z.int().min(0),
  /** The most recent failure, and when it happened. */
  error: z.string(),
  at: z.string(),
});
export type RebuildWaiting = z.infer<typeof rebuildWaitingSchema>;

/** Every error answer (4xx, 5xx): `issues` name the fields of a 400, `waiting` what a 503 waits for. */
export const errorResponseSchema = z.object({
  error: z.string(),
  issues: z.array(requestIssueSchema).optional(),
  /** The rebuild the error is about (a refused retry). */
  rebuildId: rebuildIdSchema.optional(),
  waiting: z.object({ for: rebuildWaitingSchema.shape.for }).optional(),
});
export type ErrorResponse = z.infer<typeof errorResponseSchema>;

const rebuildStatusValue = z.enum(REBUILD_STATUSES);

/** `POST /rebuilds`: 202 created, or 200 when the id existed with the same spec (`status` its state). */
export const submitResponseSchema = z.object({
  rebuildId: rebuildIdSchema,
  /** False when a rebuild with the given id already existed with this spec (the submit was a no-op). */
  created: z.boolean(),
  status: rebuildStatusValue.optional(),
});
export type SubmitResponse = z.infer<typeof submitResponseSchema>;

/** `POST /rebuilds` 409: the id exists with another spec; the fields that differ. */
export const submitConflictResponseSchema = errorResponseSchema.extend({
  rebuildId: rebuildIdSchema,
  status: rebuildStatusValue,
  differences: z.array(z.string()),
});
export type SubmitConflictResponse = z.infer<typeof submitConflictResponseSchema>;

/** Live progress of the current step's child jobs. */
export const rebuildProgressSchema = z.object({
  step: z.string(),
  done: z.int().min(0),
  failed: z.int().min(0),
  total: z.int().min(0),
  /** During embed: images embedded so far (failures not counted) and images that could not be embedded. */
  embedded: z.int().min(0).optional(),
  failedImages: z.int().min(0).optional(),
});
export type RebuildProgress = z.infer<typeof rebuildProgressSchema>;

/** `GET /rebuilds/:id`. */
export const rebuildStatusResponseSchema = z.object({
  manifest: manifestSchema,
  progress: rebuildProgressSchema,
  /** The rebuild's parent job, when Redis still has it. */
  job: z
    .object({ state: z.string(), attemptsMade: z.int().min(0), failedReason: z.string().optional() })
    .optional(),
  /** Present while the rebuild waits out a storage, Redis or network outage. */
  waiting: rebuildWaitingSchema.optional(),
});
export type RebuildStatusResponse = z.infer<typeof rebuildStatusResponseSchema>;

/** `POST /rebuilds/:id/cancel`: `cancelling` false (with its status) for a rebuild that is over. */
export const cancelResponseSchema = z.object({
  rebuildId: rebuildIdSchema,
  cancelling: z.boolean(),
  status: rebuildStatusValue.optional(),
});
export type CancelResponse = z.infer<typeof cancelResponseSchema>;

/** `POST /rebuilds/:id/retry` 202. */
export const retryResponseSchema = z.object({
  rebuildId: rebuildIdSchema,
  retrying: z.literal(true),
  /** The step it runs again from. */
  step: z.string(),
  /** Embed shards of the previous run that are kept. */
  keptShards: z.int().min(0),
});
export type RetryResponse = z.infer<typeof retryResponseSchema>;

/** One row of `GET /rebuilds`. */
export const rebuildListEntrySchema = manifestSchema.pick({
  rebuildId: true,
  status: true,
  step: true,
  createdAt: true,
  finishedAt: true,
  counts: true,
});
export type RebuildListEntry = z.infer<typeof rebuildListEntrySchema>;

/** `GET /rebuilds`, newest first. */
export const rebuildListResponseSchema = z.object({ rebuilds: z.array(rebuildListEntrySchema) });
export type RebuildListResponse = z.infer<typeof rebuildListResponseSchema>;

/** `GET /articles/:id/similar`. */
export const similarResponseSchema = z.object({
  articleId: z.string(),
  rebuildId: rebuildIdSchema,
  similar: z.array(z.object({ articleId: z.string(), score: z.number() })),
});
export type SimilarResponse = z.infer<typeof similarResponseSchema>;

/** `GET /customers/:id/recommendations`: the published rebuild's 12 articles for the customer. */
export const customerRecommendationsResponseSchema = z.object({
  customerId: z.string(),
  rebuildId: rebuildIdSchema,
  method: z.string(),
  articles: z.array(z.string()),
});
export type CustomerRecommendationsResponse = z.infer<typeof customerRecommendationsResponseSchema>;
