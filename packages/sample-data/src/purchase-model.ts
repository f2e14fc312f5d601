/**
 * The purchase model: where each item of a simulated basket comes from. Every component is a setting with a
 * default; the README documents each default and the published H&M figure it was chosen against.
 *
 * An item is drawn from one of six components, with probability proportional to its share; the three history
 * components also scale with the customer's habit (mean 1) and with how recently they bought (the recency weights
 * of their remembered purchases, summed and capped at 1, so someone who last bought months ago rarely repeats it):
 *
 * - `repurchase`: the same article again, one of their recent purchases (recency-weighted, `memoryHalfLifeDays`);
 * - `colourVariant`: another colourway (same product_code) of a recent purchase;
 * - `coPurchase`: the paired product of a recent purchase (products come in bought-together pairs);
 * - `trending`: today's best sellers, drawn by popularity raised to `trendConcentration`;
 * - `taste`: a product type they like, a few candidates by popularity, the one closest to their visual taste
 *   (colour, pattern, index) — the component a look-alike recommender can learn from;
 * - `noise`: any article on sale, uniformly.
 *
 * A first-time customer has only the last three. A history component that finds nothing on sale (the product
 * left the range, it has no other colourway or no partner) falls back to taste. Popularity is appeal × lifecycle ×
 * season × a weekly trend: ln(trend) follows an AR(1) from week to week (stationary deviation `trendVolatility`,
 * persistence `trendPersistence`), so last week's best sellers only partly predict this week's, as at H&M.
 */

export interface PurchaseModel {
  repurchase: number;
  colourVariant: number;
  coPurchase: number;
  trending: number;
  taste: number;
  noise: number;
  /** A recent purchase's chance of being the one repeated, varied or paired halves every this many days. */
  memoryHalfLifeDays: number;
  /** Stationary standard deviation of ln(weekly trend factor). 0: no trend. */
  trendVolatility: number;
  /** Week-to-week autocorrelation of ln(trend), in [0, 1). */
  trendPersistence: number;
  /** Exponent on popularity in trending draws (1: proportional; above 1 concentrates on the best sellers). */
  trendConcentration: number;
}

/** The component shares, in the order the simulation draws them. */
export const PURCHASE_SOURCES = [
  'repurchase',
  'colourVariant',
  'coPurchase',
  'trending',
  'taste',
  'noise',
] as const;
export type PurchaseSource = (typeof PURCHASE_SOURCES)[number];

/** Sources that need an earlier purchase. */
export const HISTORY_SOURCES: readonly PurchaseSource[] = ['repurchase', 'colourVariant', 'coPurchase'];

/** The defaults; the README gives the source of each. */
export const DEFAULT_PURCHASE_MODEL: Readonly<PurchaseModel> = {
  repurchase: 0.25,
  colourVariant: 0.1,
  coPurchase: 0.05,
  trending: 0.18,
  taste: 0.2,
  noise: 0.32,
  memoryHalfLifeDays: 21,
  trendVolatility: 0.6,
  trendPersistence: 0.6,
  trendConcentration: 1,
};

/** The defaults with `overrides` applied, validated (a RangeError names the bad setting). */
export function resolvePurchaseModel(overrides: Partial<PurchaseModel> = {}): PurchaseModel {
  const m: PurchaseModel = { ...DEFAULT_PURCHASE_MODEL };
  for (const key of Object.keys(DEFAULT_PURCHASE_MODEL) as (keyof PurchaseModel)[]) {
    const v = overrides[key];
    if (v !== undefined) m[key] = v;
  }
  const check = (key: keyof PurchaseModel, ok: (v: number) => boolean, expected: string): void => {
    const v = m[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v))
      throw new RangeError(`purchaseModel.${key}: expected ${expected}, got ${v}`);
  };
  for (const s of PURCHASE_SOURCES) check(s, (v) => v >= 0, 'a share ≥ 0');
  if (m.trending + m.taste + m.noise <= 0)
    throw new RangeError(
      'purchaseModel: trending, taste and noise cannot all be 0 (first purchases need one)',
    );
  check('memoryHalfLifeDays', (v) => v > 0, 'a positive number of days');
  check('trendVolatility', (v) => v >= 0 && v <= 3, '0 to 3');
  check('trendPersistence', (v) => v >= 0 && v < 1, '0 to <1');
  check('trendConcentration', (v) => v > 0 && v <= 4, 'above 0, at most 4');
  return m;
}
