import { RecsysInputError } from './errors';
import { K } from './metrics';
import type { PreparedModel } from './model';

/** The recommenders: visual neighbours (the product) and the two baselines. */
export const METHODS = ['visual', 'popularity', 'repurchase'] as const;
export type Method = (typeof METHODS)[number];

export interface RecommendOptions {
  /** A purchase's weight halves every this many days before the split. Default 60. */
  recencyHalfLifeDays?: number;
  /** The visual method looks at a customer's most recent this-many purchases. Default 64. */
  maxHistoryPurchases?: number;
  /** Similarity credited to a purchased article itself (repurchase); neighbours score their cosine. Default 2. */
  selfSimilarity?: number;
  /**
   * Candidate scores are multiplied by 1 + w·ln(1 + boosted popularity), favouring what still sells (and
   * new arrivals that look like what sells) over look-alikes that left the range. Default 0.5; 0 is off.
   */
  popularityPriorWeight?: number;
  /** Never recommend what the customer already bought before the split (unless nothing else is left). Default false. */
  excludePurchased?: boolean;
  /** Follow reverse links to new arrivals (see `ColdLinks`). Default true. */
  useColdLinks?: boolean;
}

export const DEFAULT_RECOMMEND_OPTIONS: Required<RecommendOptions> = {
  recencyHalfLifeDays: 60,
  maxHistoryPurchases: 64,
  selfSimilarity: 2,
  popularityPriorWeight: 0.5,
  excludePurchased: false,
  useColdLinks: true,
};

export function resolveRecommendOptions(options: RecommendOptions = {}): Required<RecommendOptions> {
  const o = { ...DEFAULT_RECOMMEND_OPTIONS };
  for (const key of Object.keys(DEFAULT_RECOMMEND_OPTIONS) as (keyof RecommendOptions)[]) {
    const v = options[key];
    if (v !== undefined) (o as Record<string, unknown>)[key] = v;
  }
  const positive = (name: keyof RecommendOptions, v: number): void => {
    if (!(typeof v === 'number' && v > 0 && Number.isFinite(v)))
      throw new RecsysInputError(`${name} must be a positive number, got ${v}`);
  };
  positive('recencyHalfLifeDays', o.recencyHalfLifeDays);
  positive('maxHistoryPurchases', o.maxHistoryPurchases);
  if (!Number.isInteger(o.maxHistoryPurchases))
    throw new RecsysInputError('maxHistoryPurchases must be an integer');
  if (!(o.selfSimilarity >= 0 && Number.isFinite(o.selfSimilarity)))
    throw new RecsysInputError('selfSimilarity must be ≥ 0');
  if (!(o.popularityPriorWeight >= 0 && Number.isFinite(o.popularityPriorWeight)))
    throw new RecsysInputError('popularityPriorWeight must be ≥ 0');
  if (typeof o.excludePurchased !== 'boolean' || typeof o.useColdLinks !== 'boolean') {
    throw new RecsysInputError('excludePurchased and useColdLinks must be booleans');
  }
  return o;
}

/**
 * Produces exactly 12 distinct article indices per customer with any of the three methods. Holds scratch
 * arrays sized to the catalogue, so make one per process (or per range) and reuse it; not re-entrant.
 *
 * - **visual**: each of the customer's most recent purchases (weight 2^(−age/half-life), age in days
 *   before the split; a repeated purchase counts each time) credits the article itself with
 *   `selfSimilarity` and each of its visual neighbours with their cosine score; reverse links credit new
 *   arrivals that look like it. Candidate totals are multiplied by the popularity prior and the top 12
 *   taken; remaining slots are filled from the boosted popularity ranking.
 * - **popularity**: the 12 best sellers of the popularity window (the last history week).
 * - **repurchase**: the customer's distinct purchases, most recent first, filled with popularity.
 *
 * Ties break by article index ascending, so results are deterministic. A customer without history gets the
 * boosted ranking (visual) or plain popularity (baselines).
 */
export class Recommender {
  readonly options: Required<RecommendOptions>;
  private readonly score: Float64Array;
  private readonly touchedStamp: Int32Array;
  private readonly chosenStamp: Int32Array;
  private readonly purchasedStamp: Int32Array;
  private readonly touched: Int32Array;
  private readonly prior: Float64Array;
  private readonly decay: Float64Array;
  private readonly topIdx = new Int32Array(K);
  private readonly topScore = new Float64Array(K);
  private gen = 0;

  constructor(
    readonly model: PreparedModel,
    options: RecommendOptions = {},
  ) {
    this.options = resolveRecommendOptions(options);
    const nA = model.articles.size;
    if (nA < K) throw new RecsysInputError(`the catalogue has ${nA} articles; at least ${K} are needed`);
    this.score = new Float64Array(nA);
    this.touchedStamp = new Int32Array(nA);
    this.chosenStamp = new Int32Array(nA);
    this.purchasedStamp = new Int32Array(nA);
    this.touched = new Int32Array(nA);
    this.prior = new Float64Array(nA);
    const w = this.options.popularityPriorWeight;
    for (let a = 0; a < nA; a++) this.prior[a] = 1 + w * Math.log1p(model.stats.boostedPopularity[a]!);
    const maxAge = Math.max(0, model.splitDay - model.firstDay);
    this.decay = new Float64Array(maxAge + 1);
    for (let age = 0; age <= maxAge; age++)
      this.decay[age] = Math.pow(2, -age / this.options.recencyHalfLifeDays);
  }

  /** Writes customer `c`'s 12 recommendations (article indices) to `out[offset, offset + 12)`. */
  recommend(c: number, method: Method, out: Int32Array, offset = 0): void {
    if (!(c >= 0 && c < this.model.customers.size))
      throw new RecsysInputError(`customer index ${c} out of range`);
    switch (method) {
      case 'visual':
        this.visual(c, out, offset);
        return;
      case 'popularity':
        out.set(this.model.popularityRanking.subarray(0, K), offset);
        return;
      case 'repurchase':
        this.repurchase(c, out, offset);
        return;
      default:
        throw new RecsysInputError(`unknown method ${String(method)}`);
    }
  }

  /** The 12 recommended article ids for a customer id; `undefined` for an unknown customer. */
  recommendIds(customerId: string, method: Method = 'visual'): string[] | undefined {
    const c = this.model.customers.indexOf(customerId);
    if (c < 0) return undefined;
    const out = new Int32Array(K);
    this.recommend(c, method, out);
    return Array.from(out, (a) => this.model.articles.id(a));
  }

  private nextGen(): number {
    if (this.gen === 0x7fffffff) {
      this.touchedStamp.fill(0);
      this.chosenStamp.fill(0);
      this.purchasedStamp.fill(0);
      this.gen = 0;
    }
    return ++this.gen;
  }

  private visual(c: number, out: Int32Array, offset: number): void {
    const m = this.model;
    const gen = this.nextGen();
    const { offsets, articles: hArticles, days: hDays } = m.history;
    const start = offsets[c]!;
    const end = offsets[c + 1]!;
    const exclude = this.options.excludePurchased;
    if (exclude) for (let j = start; j < end; j++) this.purchasedStamp[hArticles[j]!] = gen;

    const score = this.score;
    const stamp = this.touchedStamp;
    const touched = this.touched;
    let nTouched = 0;
    const k = m.neighbours.k;
    const nIds = m.neighbours.ids;
    const nScores = m.neighbours.scores;
    const useCold = this.options.useColdLinks;
    const cOff = m.coldLinks.offsets;
    const cIds = m.coldLinks.ids;
    const cScores = m.coldLinks.scores;
    const self = this.options.selfSimilarity;
    const split1 = m.splitDay - 1;
    const last = Math.min(end, start + this.options.maxHistoryPurchases);
    for (let j = start; j < last; j++) {
      const a = hArticles[j]!;
      const w = this.decay[split1 - hDays[j]!]!;
      if (self > 0) {
        if (stamp[a] !== gen) {
          stamp[a] = gen;
          score[a] = w * self;
          touched[nTouched++] = a;
        } else score[a]! += w * self;
      }
      for (let q = a * k; q < a * k + k; q++) {
        const b = nIds[q]!;
        if (b < 0) continue;
        const s = nScores[q]!;
        if (!(s > 0)) continue;
        if (stamp[b] !== gen) {
          stamp[b] = gen;
          score[b] = w * s;
          touched[nTouched++] = b;
        } else score[b]! += w * s;
      }
      if (useCold) {
        for (let q = cOff[a]!; q < cOff[a + 1]!; q++) {
          const b = cIds[q]!;
          const v = w * cScores[q]!;
          if (stamp[b] !== gen) {
            stamp[b] = gen;
            score[b] = v;
            touched[nTouched++] = b;
          } else score[b]! += v;
        }
      }
    }

    // Top 12 of the candidates by (score × prior) desc, index asc.
    const topIdx = this.topIdx;
    const topScore = this.topScore;
    const prior = this.prior;
    let n = 0;
    for (let t = 0; t < nTouched; t++) {
      const a = touched[t]!;
      if (exclude && this.purchasedStamp[a] === gen) continue;
      const s = score[a]! * prior[a]!;
      if (n === K && !(s > topScore[K - 1]! || (s === topScore[K - 1]! && a < topIdx[K - 1]!))) continue;
      let p = n < K ? n++ : K - 1;
      while (p > 0 && (s > topScore[p - 1]! || (s === topScore[p - 1]! && a < topIdx[p - 1]!))) {
        topScore[p] = topScore[p - 1]!;
        topIdx[p] = topIdx[p - 1]!;
        p--;
      }
      topScore[p] = s;
      topIdx[p] = a;
    }
    const chosen = this.chosenStamp;
    for (let i = 0; i < n; i++) {
      out[offset + i] = topIdx[i]!;
      chosen[topIdx[i]!] = gen;
    }
    this.fill(m.boostedRanking, out, offset, n, gen, exclude);
  }

  private repurchase(c: number, out: Int32Array, offset: number): void {
    const m = this.model;
    const gen = this.nextGen();
    const { offsets, articles } = m.history;
    const chosen = this.chosenStamp;
    let n = 0;
    for (let j = offsets[c]!; j < offsets[c + 1]! && n < K; j++) {
      const a = articles[j]!;
      if (chosen[a] === gen) continue;
      chosen[a] = gen;
      out[offset + n++] = a;
    }
    this.fill(m.popularityRanking, out, offset, n, gen, false);
  }

  /** Fills slots `[n, 12)` from a ranking, skipping chosen (and, with `exclude`, purchased) articles. */
  private fill(
    ranking: Int32Array,
    out: Int32Array,
    offset: number,
    n: number,
    gen: number,
    exclude: boolean,
  ): void {
    const chosen = this.chosenStamp;
    const purchased = this.purchasedStamp;
    for (let pass = exclude ? 0 : 1; pass < 2 && n < K; pass++) {
      for (let r = 0; r < ranking.length && n < K; r++) {
        const a = ranking[r]!;
        if (chosen[a] === gen || (pass === 0 && purchased[a] === gen)) continue;
        chosen[a] = gen;
        out[offset + n++] = a;
      }
    }
  }
}
