import { RecsysInputError } from './errors';

/**
 * The options of every recommender, recorded in the prepared model (so each worker, the API and the gallery
 * recommend alike) and in the evaluation. All are plain numbers or booleans, so they travel as JSON.
 */
export interface RecommendOptions {
  /** A purchase's weight halves every this many days before the split (hybrid, visual, same-product). Default 30. */
  recencyHalfLifeDays?: number;
  /** The methods built on purchases look at a customer's most recent this-many purchases. Default 64. */
  maxHistoryPurchases?: number;

  // ---- hybrid: score(a) = Σ over the sources of weight × Σ over recent purchases j of 2^(−age_j/half-life) × strength
  /** Weight of the purchase itself (strength 1): repurchase. Default 1. */
  repurchaseWeight?: number;
  /** Weight of the other colourways of a purchase (same product_code, strength 1). Default 0.3. */
  sameProductWeight?: number;
  /** Weight of a purchase's visual neighbours (strength: their cosine). Default 0.1. */
  visualWeight?: number;
  /** Weight of new arrivals (no sales before the split) that look like a purchase (strength: the cosine). Default 0.3. */
  newArrivalWeight?: number;
  /** Weight of trending popularity, added to every candidate (strength: trend score, 1 for the top seller). Default 0.35. */
  trendingWeight?: number;
  /** Variant and visual candidates (and repurchases) must have sold in this many days before the split. Default 28. */
  activeWindowDays?: number;
  /** Trending popularity: sales of the last this-many days before the split … Default 7. */
  trendWindowDays?: number;
  /** … each weighted 2^(−age / this). Default 3. */
  trendHalfLifeDays?: number;

  // ---- visual baseline (image embeddings alone)
  /** Similarity credited to a purchased article itself (0: neighbours only, the pure visual baseline). Default 0. */
  selfSimilarity?: number;
  /** Visual scores × (1 + w·ln(1 + boosted popularity)); 0 (default) leaves popularity out of the visual baseline. */
  popularityPriorWeight?: number;
  /** Never recommend what the customer already bought before the split (unless nothing else is left). Default false. */
  excludePurchased?: boolean;
  /** Follow reverse links to new arrivals (see `ColdLinks`). Default true. */
  useColdLinks?: boolean;
}

export type ResolvedRecommendOptions = Required<RecommendOptions>;

export const DEFAULT_RECOMMEND_OPTIONS: Readonly<ResolvedRecommendOptions> = {
  recencyHalfLifeDays: 30,
  maxHistoryPurchases: 64,
  repurchaseWeight: 1,
  sameProductWeight: 0.3,
  visualWeight: 0.1,
  newArrivalWeight: 0.3,
  trendingWeight: 0.35,
  activeWindowDays: 28,
  trendWindowDays: 7,
  trendHalfLifeDays: 3,
  selfSimilarity: 0,
  popularityPriorWeight: 0,
  excludePurchased: false,
  useColdLinks: true,
};

const POSITIVE = ['recencyHalfLifeDays', 'maxHistoryPurchases', 'trendHalfLifeDays'] as const;
const NON_NEGATIVE = [
  'repurchaseWeight',
  'sameProductWeight',
  'visualWeight',
  'newArrivalWeight',
  'trendingWeight',
  'selfSimilarity',
  'popularityPriorWeight',
] as const;
const DAYS = ['maxHistoryPurchases', 'activeWindowDays', 'trendWindowDays'] as const;
const BOOLEANS = ['excludePurchased', 'useColdLinks'] as const;

/** The defaults with `options` applied (undefined keeps a default), validated; unknown keys are refused. */
export function resolveRecommendOptions(options: RecommendOptions = {}): ResolvedRecommendOptions {
  const o: ResolvedRecommendOptions = { ...DEFAULT_RECOMMEND_OPTIONS };
  for (const [key, v] of Object.entries(options)) {
    if (!(key in DEFAULT_RECOMMEND_OPTIONS)) throw new RecsysInputError(`unknown recommend option ${key}`);
    if (v !== undefined) (o as unknown as Record<string, unknown>)[key] = v;
  }
  for (const name of POSITIVE) {
    const v = o[name];
    if (!(typeof v === 'number' && v > 0 && Number.isFinite(v)))
      throw new RecsysInputError(`${name} must be a positive number, got ${v}`);
  }
  for (const name of NON_NEGATIVE) {
    const v = o[name];
    if (!(typeof v === 'number' && v >= 0 && Number.isFinite(v)))
      throw new RecsysInputError(`${name} must be a number ≥ 0, got ${v}`);
  }
  for (const name of DAYS) {
    const v = o[name];
    if (!(Number.isInteger(v) && v >= 1 && v <= 3650))
      throw new RecsysInputError(`${name} must be an integer in [1, 3650], got ${v}`);
  }
  for (const name of BOOLEANS) {
    if (typeof o[name] !== 'boolean') throw new RecsysInputError(`${name} must be a boolean`);
  }
  return o;
}

/** The recommend options among `options`' keys (e.g. of a range's options, which also hold other settings). */
export function recommendOptionsOf(options: object): RecommendOptions {
  return Object.fromEntries(
    Object.entries(options).filter(([key]) => key in DEFAULT_RECOMMEND_OPTIONS),
  ) as RecommendOptions;
}
