import { z } from 'zod';
import { rebuildIdSchema } from './ids';
import { REBUILD_STEPS } from './jobs';
import { methodFiguresSchema } from './method-figures';
import { neighbourQualityReportSchema } from './neighbour-quality';
import { rebuildSpecSchema } from './rebuild-spec';
import { recordedRecommendOptionsSchema } from './recommend-options';

export const REBUILD_STATUSES = ['running', 'completed', 'failed', 'cancelled'] as const;
export type RebuildStatus = (typeof REBUILD_STATUSES)[number];

const stageStateSchema = z.object({
  /** `cancelled`: the stage was running when the rebuild was cancelled. */
  state: z.enum(['pending', 'running', 'done', 'skipped', 'failed', 'cancelled']),
  startedAt: z.string().optional(),
  finishedAt: z.string().optional(),
  ms: z.number().optional(),
  /** Child jobs fanned out by this stage. */
  jobs: z.int().optional(),
});
export type StageState = z.infer<typeof stageStateSchema>;

export const failureSchema = z.object({
  articleId: z.string(),
  key: z.string(),
  reason: z.string(),
  message: z.string(),
});
export type ItemFailure = z.infer<typeof failureSchema>;

/** `rebuilds/<id>/manifest.json`: written only by the orchestrator, at every stage boundary. */
export const manifestSchema = z.object({
  rebuildId: rebuildIdSchema,
  spec: rebuildSpecSchema,
  status: z.enum(REBUILD_STATUSES),
  step: z.enum(REBUILD_STEPS),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().optional(),
  error: z.string().optional(),
  /**
   * Why a failed rebuild failed: `permanent` (input that cannot work: a missing file or bucket,
   * access denied, a malformed CSV, a bad model), `budget` (transient failures outlasted the retry
   * budget), `attempts` (an unknown failure repeated).
   */
  errorKind: z.enum(['permanent', 'budget', 'attempts']).optional(),
  /** Times the rebuild was retried after failing or being cancelled (`POST /rebuilds/:id/retry`). */
  retries: z.int().optional(),
  stages: z.record(z.string(), stageStateSchema),
  counts: z.object({
    /** Images found in the corpus and planned for embedding. */
    planned: z.int(),
    shards: z.int(),
    embedded: z.int(),
    failed: z.int(),
    /** Of `embedded`, served from the embedding cache. */
    cached: z.int(),
    /** Files under the image folder that are not `0XX/<10-digit id>.<ext>` (listed in plan/ignored.json). */
    ignoredFiles: z.int(),
    /** Articles in articles.csv without an image. */
    missingImages: z.int(),
    neighbourParts: z.int(),
    /** Articles with a neighbour list. */
    indexed: z.int(),
    /** Malformed rows of articles.csv skipped at plan (`lenient`). */
    skippedArticleRows: z.int().optional(),
  }),
  failures: z.object({
    byReason: z.record(z.string(), z.int()),
    /** The first failures, for the status view; every failure is in the shards' failures files. */
    examples: z.array(failureSchema),
  }),
  model: z.object({ id: z.string(), dim: z.int() }).optional(),
  /** How the embed stage ran: the runtime, and the worst event-loop delay of any embedder during a job. */
  embedding: z
    .object({ provider: z.string().optional(), maxEventLoopDelayMs: z.number().optional() })
    .optional(),
  /** Recommendation figures, when the rebuild was given transactions. */
  recommend: z
    .object({
      customers: z.int(),
      holdoutCustomers: z.int(),
      newArticles: z.int(),
      newArticlesSoldInHoldout: z.int(),
      parts: z.int(),
      skippedRows: z.record(z.string(), z.int()),
      /** Customers of the transactions that customers.csv does not list (they are recommended to, but get no submission row). */
      unlistedCustomers: z.int().optional(),
      /** The method of submission.csv and the API, and the recommender options used (defaults filled in). */
      submissionMethod: z.string().optional(),
      options: recordedRecommendOptionsSchema.optional(),
      /** Per method: MAP@12 and recall@12 overall, on new articles and for new customers; catalogue coverage. */
      methods: z.array(methodFiguresSchema).optional(),
    })
    .optional(),
  pca: z
    .object({
      inputDim: z.int(),
      dims: z.int(),
      sampled: z.int(),
      explainedVarianceRatio: z.number(),
      leadingRatios: z.array(z.number()),
    })
    .optional(),
  /** How the neighbours agree with the article labels (when `articles.csv` has them); `neighbour-quality.json`. */
  quality: neighbourQualityReportSchema.optional(),
});
export type Manifest = z.infer<typeof manifestSchema>;

/** `current.json`: the published rebuild. Moved atomically by one object write. */
export const currentPointerSchema = z.object({ rebuildId: z.string(), publishedAt: z.string() });
export type CurrentPointer = z.infer<typeof currentPointerSchema>;
