import { z } from 'zod';
import { recommendOptionsSchema } from './recommend-options';

/** How the embedder fills the sides of a letterboxed image (see `padding` below). */
export const PADDING_MODES = ['edge', 'white', 'black'] as const;
export type PaddingMode = (typeof PADDING_MODES)[number];

function normaliseLocation(value: string): string {
  const url = value.startsWith('/') ? `file://${value}` : value;
  // Drop trailing slashes, but keep the root of `file:///`.
  return url.length > 'file:///'.length ? url.replace(/\/+$/, '') : url;
}

/**
 * A location: `s3://bucket/prefix`, `file:///abs/path`, or an absolute local path
 * (normalised to `file://`).
 */
export const locationSchema = z
  .string({ message: 'expected a location string' })
  .trim()
  .min(1, 'must not be empty')
  .transform(normaliseLocation)
  .refine((v) => /^s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](\/.*)?$/.test(v) || /^file:\/\/\/.+/.test(v), {
    message: 'expected s3://bucket/prefix, file:///path or an absolute path',
  });

/** The spec rule on recommendation inputs, as its error message. */
export const RECOMMEND_INPUTS_RULE = 'transactions and customers must be given together';

/** What a user submits: the corpus and the options of one rebuild. */
export const rebuildSpecSchema = z
  .strictObject({
    /** Folder holding the H&M layout `0XX/0XXXXXXXXX.jpg` (the dataset's `images/` folder). */
    images: locationSchema,
    /** Optional `articles.csv`; articles listed there without an image are reported. */
    articles: locationSchema.optional(),
    /** `transactions_train.csv`: when given, the rebuild also recommends and evaluates (needs `customers`). */
    transactions: locationSchema.optional(),
    /** `customers.csv`: every customer gets a row in submission.csv. */
    customers: locationSchema.optional(),
    /** The last days of the transactions held out for evaluation (0 = recommend after the data, no evaluation). */
    holdoutDays: z.int().min(0).max(365).default(7),
    /** Count and skip malformed CSV rows (reported in the manifest) instead of failing the rebuild. */
    lenient: z.boolean().default(false),
    /** Recommender options (hybrid weights and windows, visual baseline); `@lookalike/recsys` has the defaults. */
    recommend: recommendOptionsSchema.optional(),
    /** Customers per `recommend` job. */
    customersPerJob: z.int().min(1).max(10_000_000).default(250_000),
    /** Images per embedding shard (one `embed` job each). */
    shardSize: z.int().min(1).max(100_000).default(1000),
    /** PCA output dimensions; 0 = no reduction (vectors are only L2-normalised). */
    pcaDims: z.int().min(0).max(4096).default(256),
    /** Rows sampled across all shards to fit PCA. */
    pcaSampleSize: z.int().min(2).max(200_000).default(20_000),
    /** Neighbours per article. */
    k: z.int().min(1).max(1000).default(20),
    /**
     * Query rows per `neighbours` job. Small enough that the last jobs finish together on any number
     * of indexers (each indexer loads the index once and keeps it).
     */
    neighbourRowsPerJob: z.int().min(1).max(1_000_000).default(2_500),
    /** Model URL; the worker's configured model when absent. */
    modelUrl: z.string().min(1).optional(),
    /** Images per forward pass of the model. */
    batchSize: z.int().min(1).max(1024).default(32),
    /**
     * How the sides of a letterboxed image are filled before the model: `edge` (the mean colour of the image's
     * border), `white`, or `black` (TF's resize_with_pad). Part of the embedding cache's model id.
     */
    padding: z.enum(PADDING_MODES).default('edge'),
    /** Signed power normalisation of the embeddings before PCA (1 = none, 0.5 = signed square root). */
    powerNorm: z.number().gt(0).max(1).default(0.5),
    /** PCA whitening power: each component divided by λ^(p/2) (0 = plain PCA, 1 = full whitening). */
    pcaWhiten: z.number().min(0).max(1).default(0.5),
    /** Move `current` to this rebuild when it completes. */
    publish: z.boolean().default(true),
  })
  // Recommendations need both: transactions without customers (or customers alone) is refused, naming both.
  .superRefine((spec, ctx) => {
    if ((spec.transactions === undefined) !== (spec.customers === undefined)) {
      ctx.addIssue({
        code: 'custom',
        path: [spec.customers === undefined ? 'customers' : 'transactions'],
        message: RECOMMEND_INPUTS_RULE,
      });
    }
  });

export type RebuildSpecInput = z.input<typeof rebuildSpecSchema>;

export type RebuildSpec = z.output<typeof rebuildSpecSchema>;

/** Formats zod issues as `field: message` lines (HTTP 400 bodies and CLI errors). */
export function describeIssues(error: z.ZodError): { field: string; message: string }[] {
  return error.issues.map((issue) => ({
    field: issue.path.length > 0 ? issue.path.join('.') : '(body)',
    message: issue.message,
  }));
}

/** A spec as canonical JSON (keys sorted): what a rebuild id is claimed with, compared byte for byte. */
export function canonicalSpec(spec: RebuildSpec): string {
  const sorted = Object.fromEntries(Object.entries(spec).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return JSON.stringify(sorted);
}

/** The fields (defaults filled in) in which two specs differ, sorted. */
export function specDifferences(a: RebuildSpec, b: RebuildSpec): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]) as Set<keyof RebuildSpec>;
  return [...keys].filter((key) => JSON.stringify(a[key]) !== JSON.stringify(b[key])).sort();
}
