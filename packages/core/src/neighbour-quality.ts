import { z } from 'zod';

/** The `articles.csv` columns whose agreement between an article and its neighbours the quality report measures. */
export const QUALITY_LABEL_COLUMNS = [
  'product_type_name',
  'product_group_name',
  'colour_group_name',
  'graphical_appearance_name',
  'product_code',
] as const;
export type QualityLabelColumn = (typeof QUALITY_LABEL_COLUMNS)[number];

/** How the report names each label column to people (status, gallery, summaries). */
export const QUALITY_LABEL_NAMES: Readonly<Record<QualityLabelColumn, string>> = {
  product_type_name: 'product type',
  product_group_name: 'product group',
  colour_group_name: 'colour',
  graphical_appearance_name: 'appearance',
  product_code: 'product code',
};

/** Neighbour ranks the report is given at (those up to the rebuild's `k`). */
export const QUALITY_KS = [1, 5, 10, 20] as const;

/** A share at each k, keyed by k as a string (`"1"`, `"10"`, …). */
const byK = z.record(z.string().regex(/^\d+$/), z.number().min(0).max(1));

/** One label column: how often an article's top-k neighbours share its value, beside what chance gives. */
export const labelAgreementSchema = z.object({
  column: z.enum(QUALITY_LABEL_COLUMNS),
  /** Articles of the neighbour table that have a value in this column (the queries averaged over). */
  articles: z.int().min(0),
  /** Distinct values among them. */
  values: z.int().min(0),
  /**
   * Share expected from k neighbours drawn at random among the other labelled articles:
   * Σ n_v (n_v − 1) / (N (N − 1)) over the values v with n_v articles.
   */
  chance: z.number().min(0).max(1),
  /** Mean over articles of the share of their top-k neighbours with the same value. */
  shareAt: byK,
});
export type LabelAgreement = z.infer<typeof labelAgreementSchema>;

/** Colour variants (same `product_code`): how many of an article's variants its top-k neighbours find. */
export const siblingRecallSchema = z.object({
  /** Articles with at least one other article of their product_code in the table. */
  articles: z.int().min(0),
  /** Mean number of such variants per article that has any. */
  meanSiblings: z.number().min(0),
  /** Mean over those articles of |variants ∩ top-k| / |variants|. */
  recallAt: byK,
  /** Mean over those articles of the share of top-k neighbours that are variants (the issue's `code@k`). */
  shareAt: byK,
});
export type SiblingRecall = z.infer<typeof siblingRecallSchema>;

/** `neighbour-quality.json`: how well a rebuild's neighbours agree with the H&M article labels. */
export const neighbourQualityReportSchema = z.object({
  version: z.literal(1),
  /** Articles in the neighbour table, and how many of them `articles.csv` describes. */
  articles: z.int().min(0),
  labelled: z.int().min(0),
  /** Neighbours per article in the table; the report's ks are those ≤ k. */
  k: z.int().min(1),
  ks: z.array(z.int().min(1)),
  labels: z.array(labelAgreementSchema),
  siblings: siblingRecallSchema.optional(),
});
export type NeighbourQualityReport = z.infer<typeof neighbourQualityReportSchema>;
