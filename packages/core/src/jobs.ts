import { z } from 'zod';
import { rebuildIdSchema } from './ids';
import { methodFiguresSchema } from './method-figures';
import { neighbourQualityReportSchema } from './neighbour-quality';
import { PADDING_MODES, rebuildSpecSchema } from './rebuild-spec';
import { recommendOptionsSchema, recordedRecommendOptionsSchema } from './recommend-options';

const rebuildId = rebuildIdSchema;
const shard = z.int().min(0);

/** Steps of the orchestrator's parent job, in order. */
export const REBUILD_STEPS = [
  'plan',
  'embed',
  'fit',
  'project',
  'build-index',
  'neighbours',
  'merge',
  'quality',
  'prepare-recommend',
  'recommend',
  'evaluate',
  'publish',
  'done',
] as const;
export type RebuildStep = (typeof REBUILD_STEPS)[number];
/** Steps that appear as stages in a manifest (every step but `done`). */
export const STAGES_IN_MANIFEST = REBUILD_STEPS.filter((s) => s !== 'done');

/** `embed` queue: embed one plan shard. */
export const embedJobSchema = z.object({
  rebuildId,
  shard,
  modelUrl: z.string().min(1).optional(),
  batchSize: z.int().min(1).default(32),
  /** How letterboxed sides are filled (see the rebuild option); black when absent (jobs queued before it existed). */
  padding: z.enum(PADDING_MODES).default('black'),
});
export type EmbedJobData = z.infer<typeof embedJobSchema>;

export const embedResultSchema = z.object({
  planned: z.int().min(0),
  embedded: z.int().min(0),
  failed: z.int().min(0),
  /** Of `embedded`, how many came from the content-hash cache. */
  cached: z.int().min(0),
  modelId: z.string(),
  dim: z.int().min(1),
  ms: z.number().min(0),
  /** What ran the model, e.g. `onnxruntime-node 1.30.0 (cpu, 1 intra-op thread)`. */
  provider: z.string().optional(),
  /** Worst event-loop delay of the worker while it ran the job (BullMQ renews locks on that loop). */
  maxEventLoopDelayMs: z.number().min(0).optional(),
});
export type EmbedResult = z.infer<typeof embedResultSchema>;

/** `rebuild` queue: one parent job per rebuild, advancing step by step. */
export const rebuildJobSchema = z.object({
  rebuildId,
  spec: rebuildSpecSchema,
  step: z.enum(REBUILD_STEPS).default('plan'),
  /** Whether the current step's child jobs have been added (the step then waits for them). */
  started: z.boolean().default(false),
  /**
   * Results of a previous run's completed jobs, kept by a retry (`POST /rebuilds/:id/retry`) so
   * that their outputs are not made again: embed results by shard number.
   */
  resume: z.object({ embed: z.record(z.string(), embedResultSchema).optional() }).optional(),
});
export type RebuildJobData = z.infer<typeof rebuildJobSchema>;

/** `reduce` queue, job name `fit`: fit PCA on a sample of every embedding shard. */
export const fitJobSchema = z.object({
  rebuildId,
  shards: z.int().min(1),
  dims: z.int().min(0),
  sampleSize: z.int().min(2),
  /** Signed power applied to every embedding before PCA (1 = none). */
  powerNorm: z.number().gt(0).max(1).default(1),
});
export type FitJobData = z.infer<typeof fitJobSchema>;

export const fitResultSchema = z.object({
  inputDim: z.int().min(1),
  dims: z.int().min(0),
  sampled: z.int().min(0),
  /** Share of the total variance kept by the components. */
  explainedVarianceRatio: z.number().min(0).max(1),
  /** Explained variance ratio of each of the first components (at most 20). */
  leadingRatios: z.array(z.number()),
  ms: z.number().min(0),
});
export type FitResult = z.infer<typeof fitResultSchema>;

/** `reduce` queue, job name `project`: project and L2-normalise one embedding shard. */
export const projectJobSchema = z.object({
  rebuildId,
  shard,
  /** Apply the rebuild's PCA model (`pca.bin`); false = only L2-normalise. */
  reduce: z.boolean(),
  /** Signed power applied to every embedding first (1 = none), as at fit. */
  powerNorm: z.number().gt(0).max(1).default(1),
  /** PCA whitening power (0 = none, 1 = full), applied before the L2 normalisation. */
  whiten: z.number().min(0).max(1).default(0),
});
export type ProjectJobData = z.infer<typeof projectJobSchema>;

export const projectResultSchema = z.object({
  rows: z.int().min(0),
  dim: z.int().min(1),
  ms: z.number().min(0),
});
export type ProjectResult = z.infer<typeof projectResultSchema>;

/** `index` queue, job name `build-index`: concatenate reduced shards into one FAISS index. */
export const buildIndexJobSchema = z.object({ rebuildId, shards: z.int().min(1) });
export type BuildIndexJobData = z.infer<typeof buildIndexJobSchema>;

export const buildIndexResultSchema = z.object({
  rows: z.int().min(0),
  dim: z.int().min(1),
  ms: z.number().min(0),
});
export type BuildIndexResult = z.infer<typeof buildIndexResultSchema>;

/** `index` queue, job name `neighbours`: all-neighbours query for rows [start, end). */
export const neighboursJobSchema = z
  .object({ rebuildId, part: z.int().min(0), start: z.int().min(0), end: z.int().min(0), k: z.int().min(1) })
  .refine((v) => v.end > v.start, { message: 'end must be greater than start', path: ['end'] });
export type NeighboursJobData = z.infer<typeof neighboursJobSchema>;

export const neighboursResultSchema = z.object({ rows: z.int().min(0), ms: z.number().min(0) });
export type NeighboursResult = z.infer<typeof neighboursResultSchema>;

/**
 * `index` queue, job name `quality`: how well the rebuild's neighbours agree with the labels of `articles.csv`
 * (writes `neighbour-quality.json`).
 */
export const qualityJobSchema = z.object({
  rebuildId,
  articles: z.string(),
  /** Neighbour parts of the rebuild. */
  parts: z.int().min(1),
  lenient: z.boolean(),
});
export type QualityJobData = z.infer<typeof qualityJobSchema>;

export const qualityResultSchema = z.object({ report: neighbourQualityReportSchema, ms: z.number().min(0) });
export type QualityResult = z.infer<typeof qualityResultSchema>;

/**
 * `index` queue, job name `merge`: the neighbour parts into `neighbours.csv` (`article_id,neighbour_id,rank,score`)
 * and `neighbours.json` (the prototype's records).
 */
export const mergeJobSchema = z.object({
  rebuildId,
  /** Neighbour parts of the rebuild. */
  parts: z.int().min(1),
});
export type MergeJobData = z.infer<typeof mergeJobSchema>;

export const mergeResultSchema = z.object({
  /** Articles with a neighbour list. */
  rows: z.int().min(0),
  k: z.int().min(1),
  ms: z.number().min(0),
});
export type MergeResult = z.infer<typeof mergeResultSchema>;

/**
 * `index` queue, job name `gallery`: the static gallery of a rebuild (`gallery/index.html` and its thumbnails),
 * from the saved manifest shown as completed at `finishedAt`, the neighbour parts and the recommend stage's rows.
 */
export const galleryJobSchema = z.object({ rebuildId, finishedAt: z.iso.datetime() });
export type GalleryJobData = z.infer<typeof galleryJobSchema>;

export const galleryResultSchema = z.object({
  key: z.string(),
  /** Thumbnails written (articles whose image could not be read are shown without one). */
  thumbnails: z.int().min(0),
  ms: z.number().min(0),
});
export type GalleryResult = z.infer<typeof galleryResultSchema>;

/** `recommend` queue, job name `prepare`: read the CSVs and neighbours into the shared model. */
export const prepareRecommendJobSchema = z.object({
  rebuildId,
  transactions: z.string(),
  customers: z.string(),
  articles: z.string().optional(),
  holdoutDays: z.int().min(0),
  /** Neighbour parts of the rebuild. */
  parts: z.int().min(1),
  lenient: z.boolean(),
  /** The rebuild's recommender options (recorded in the model); defaults when absent. */
  recommend: recommendOptionsSchema.optional(),
});
export type PrepareRecommendJobData = z.infer<typeof prepareRecommendJobSchema>;

export const prepareRecommendResultSchema = z.object({
  customers: z.int().min(0),
  articles: z.int().min(0),
  historyRows: z.int().min(0),
  holdoutRows: z.int().min(0),
  holdoutCustomers: z.int().min(0),
  newArticles: z.int().min(0),
  newArticlesSoldInHoldout: z.int().min(0),
  /** Malformed rows skipped (lenient reading), by file. */
  skippedRows: z.record(z.string(), z.int()),
  /** The recommender options recorded in the model (defaults filled in), and the method of submission.csv. */
  recommendOptions: recordedRecommendOptionsSchema.optional(),
  submissionMethod: z.string().optional(),
  /** Customers met in the transactions that customers.csv does not list. */
  unlistedCustomers: z.int().min(0).optional(),
  ms: z.number().min(0),
});
export type PrepareRecommendResult = z.infer<typeof prepareRecommendResultSchema>;

/** `recommend` queue, job name `recommend`: recommend and evaluate customers [start, end). */
export const recommendJobSchema = z
  .object({ rebuildId, part: z.int().min(0), start: z.int().min(0), end: z.int().min(0) })
  .refine((v) => v.end > v.start, { message: 'end must be greater than start', path: ['end'] });
export type RecommendJobData = z.infer<typeof recommendJobSchema>;

export const recommendResultSchema = z.object({ customers: z.int().min(0), ms: z.number().min(0) });
export type RecommendResult = z.infer<typeof recommendResultSchema>;

/**
 * `recommend` queue, job name `evaluate`: the recommend parts into `submission.csv`, their evaluation partials
 * into `evaluation.json` / `evaluation.md`, and the gallery's customer sample (`recommendations/customer-sample.json`).
 * The figures of the report's heading come from prepare's result.
 */
export const evaluateJobSchema = z.object({
  rebuildId,
  /** Recommend parts of the rebuild, of `customersPerJob` customers each. */
  parts: z.int().min(1),
  customersPerJob: z.int().min(1),
  /** Customers with holdout purchases in the gallery's sample. */
  sampleCustomers: z.int().min(0).default(6),
  holdoutDays: z.int().min(0),
  customers: z.int().min(0),
  holdoutCustomers: z.int().min(0),
  newArticles: z.int().min(0),
  newArticlesSoldInHoldout: z.int().min(0),
});
export type EvaluateJobData = z.infer<typeof evaluateJobSchema>;

export const evaluateResultSchema = z.object({
  /** Every method's figures, in `METHODS` order. */
  methods: z.array(methodFiguresSchema),
  /** Customers in the gallery's sample. */
  sampledCustomers: z.int().min(0),
  ms: z.number().min(0),
});
export type EvaluateResult = z.infer<typeof evaluateResultSchema>;
