import { articleActivity, type ArticleActivity } from './article-activity';
import { RecsysInputError } from './errors';
import { K } from './metrics';
import type { PreparedModel } from './model';
import { productGroups, type ProductGroups } from './product-groups';
import {
  resolveRecommendOptions,
  type RecommendOptions,
  type ResolvedRecommendOptions,
} from './recommend-options';

/**
 * The recommenders: the hybrid (the product, and what submission.csv holds) and the single methods it is
 * measured against.
 */
export const METHODS = ['hybrid', 'repurchase', 'same-product', 'popularity', 'visual'] as const;
export type Method = (typeof METHODS)[number];
/** The method of submission.csv, the API and the gallery. */
export const DEFAULT_METHOD: Method = 'hybrid';

/**
 * Produces exactly 12 distinct article indices per customer with any method. Holds scratch arrays sized to
 * the catalogue, so make one per process (or per range) and reuse it; not re-entrant. Options are the model's
 * recorded ones (`model.recommendOptions`), with `overrides` on top.
 *
 * A purchase's recency weight is w = 2^(−age/`recencyHalfLifeDays`), age in days before the split; the
 * customer's `maxHistoryPurchases` most recent purchases count (a repeated purchase counts each time).
 *
 * - **hybrid**: one transparent score per candidate,
 *     score(a) = repurchaseWeight · Σ w (purchases of a)
 *              + sameProductWeight · Σ w (purchases of another colourway of a's product_code)
 *              + visualWeight · Σ w · cosine (purchases whose visual neighbour a is)
 *              + newArrivalWeight · Σ w · cosine (the same, for a new arrival: no sales before the split)
 *              + trendingWeight · trend(a)   (1 for the top seller of the trend window)
 *   where every candidate but a new arrival must have sold in the `activeWindowDays` before the split, and the
 *   12 trending articles are candidates for everybody. Top 12; filled from the trending ranking.
 * - **repurchase**: the customer's distinct purchases, most recent first, filled with popularity.
 * - **same-product**: the other colourways of their purchases (Σ w), filled with popularity.
 * - **popularity**: the 12 best sellers of the popularity window (the last history week).
 * - **visual**: visual neighbours of their purchases (Σ w · cosine; reverse links reach new arrivals), filled
 *   with the boosted popularity ranking: image embeddings alone (`selfSimilarity` and `popularityPriorWeight`
 *   mix in repurchase and popularity when set).
 *
 * Ties break by article index ascending, so results are deterministic. A customer without history gets the
 * trending ranking (hybrid), the boosted ranking (visual) or plain popularity (the others).
 */
export class Recommender {
  readonly options: ResolvedRecommendOptions;
  readonly activity: ArticleActivity;
  readonly products: ProductGroups;
  private readonly score: Float64Array;
  private readonly touchedStamp: Int32Array;
  private readonly chosenStamp: Int32Array;
  private readonly purchasedStamp: Int32Array;
  private readonly touched: Int32Array;
  private nTouched = 0;
  private readonly prior: Float64Array;
  private readonly decay: Float64Array;
  private readonly topIdx = new Int32Array(K);
  private readonly topScore = new Float64Array(K);
  private gen = 0;

  constructor(
    readonly model: PreparedModel,
    overrides: RecommendOptions = {},
  ) {
    this.options = resolveRecommendOptions({ ...model.recommendOptions, ...stripUndefined(overrides) });
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
    this.activity = articleActivity(
      model.history,
      nA,
      model.splitDay,
      model.stats.historySales,
      this.options,
    );
    this.products = productGroups(model.articles);
  }

  /** Writes customer `c`'s 12 recommendations (article indices) to `out[offset, offset + 12)`. */
  recommend(c: number, method: Method, out: Int32Array, offset = 0): void {
    if (!(c >= 0 && c < this.model.customers.size))
      throw new RecsysInputError(`customer index ${c} out of range`);
    switch (method) {
      case 'hybrid':
        this.hybrid(c, out, offset);
        return;
      case 'repurchase':
        this.repurchase(c, out, offset);
        return;
      case 'same-product':
        this.sameProduct(c, out, offset);
        return;
      case 'popularity':
        out.set(this.model.popularityRanking.subarray(0, K), offset);
        return;
      case 'visual':
        this.visual(c, out, offset);
        return;
      default:
        throw new RecsysInputError(`unknown method ${String(method)}`);
    }
  }

  /** The 12 recommended article ids for a customer id; `undefined` for an unknown customer. */
  recommendIds(customerId: string, method: Method = DEFAULT_METHOD): string[] | undefined {
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
    this.nTouched = 0;
    return ++this.gen;
  }

  /** Adds `v` to candidate `a`'s score (creating it at 0 first). */
  private credit(a: number, v: number, gen: number): void {
    if (this.touchedStamp[a] !== gen) {
      this.touchedStamp[a] = gen;
      this.score[a] = v;
      this.touched[this.nTouched++] = a;
    } else this.score[a]! += v;
  }

  private hybrid(c: number, out: Int32Array, offset: number): void {
    const m = this.model;
    const o = this.options;
    const gen = this.nextGen();
    const { offsets, articles: hArticles, days: hDays } = m.history;
    const start = offsets[c]!;
    const last = Math.min(offsets[c + 1]!, start + o.maxHistoryPurchases);
    const { recentSales, trend, trendRanking } = this.activity;
    const historySales = m.stats.historySales;
    const { productOf, offsets: pOff, articles: pArticles } = this.products;
    const k = m.neighbours.k;
    const nIds = m.neighbours.ids;
    const nScores = m.neighbours.scores;
    const cOff = m.coldLinks.offsets;
    const cIds = m.coldLinks.ids;
    const cScores = m.coldLinks.scores;
    const split1 = m.splitDay - 1;
    const wRep = o.repurchaseWeight;
    const wVar = o.sameProductWeight;
    const wVis = o.visualWeight;
    const wNew = o.newArrivalWeight;
    for (let j = start; j < last; j++) {
      const a = hArticles[j]!;
      const w = this.decay[split1 - hDays[j]!]!;
      if (wRep > 0 && recentSales[a]! > 0) this.credit(a, wRep * w, gen);
      if (wVar > 0) {
        const p = productOf[a]!;
        for (let q = pOff[p]!; q < pOff[p + 1]!; q++) {
          const b = pArticles[q]!;
          if (b !== a && recentSales[b]! > 0) this.credit(b, wVar * w, gen);
        }
      }
      if (wVis > 0 || wNew > 0) {
        for (let q = a * k; q < a * k + k; q++) {
          const b = nIds[q]!;
          const s = nScores[q]!;
          if (b < 0 || !(s > 0)) continue;
          if (historySales[b] === 0) {
            if (wNew > 0) this.credit(b, wNew * w * s, gen);
          } else if (wVis > 0 && recentSales[b]! > 0) this.credit(b, wVis * w * s, gen);
        }
        if (wNew > 0) {
          for (let q = cOff[a]!; q < cOff[a + 1]!; q++) this.credit(cIds[q]!, wNew * w * cScores[q]!, gen);
        }
      }
    }
    const wTrend = o.trendingWeight;
    if (wTrend > 0) {
      for (let r = 0; r < K; r++) if (trend[trendRanking[r]!]! > 0) this.credit(trendRanking[r]!, 0, gen);
      for (let t = 0; t < this.nTouched; t++) {
        const a = this.touched[t]!;
        this.score[a]! += wTrend * trend[a]!;
      }
    }
    const n = this.top(gen, false, false);
    this.emit(out, offset, n, gen);
    this.fill(trendRanking, out, offset, n, gen, false);
  }

  private visual(c: number, out: Int32Array, offset: number): void {
    const m = this.model;
    const gen = this.nextGen();
    const { offsets, articles: hArticles, days: hDays } = m.history;
    const start = offsets[c]!;
    const end = offsets[c + 1]!;
    const exclude = this.options.excludePurchased;
    if (exclude) for (let j = start; j < end; j++) this.purchasedStamp[hArticles[j]!] = gen;
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
      if (self > 0) this.credit(a, w * self, gen);
      for (let q = a * k; q < a * k + k; q++) {
        const b = nIds[q]!;
        if (b < 0) continue;
        const s = nScores[q]!;
        if (s > 0) this.credit(b, w * s, gen);
      }
      if (useCold) for (let q = cOff[a]!; q < cOff[a + 1]!; q++) this.credit(cIds[q]!, w * cScores[q]!, gen);
    }
    const n = this.top(gen, exclude, true);
    this.emit(out, offset, n, gen);
    this.fill(m.boostedRanking, out, offset, n, gen, exclude);
  }

  private sameProduct(c: number, out: Int32Array, offset: number): void {
    const m = this.model;
    const gen = this.nextGen();
    const { offsets, articles: hArticles, days: hDays } = m.history;
    const start = offsets[c]!;
    const end = offsets[c + 1]!;
    for (let j = start; j < end; j++) this.purchasedStamp[hArticles[j]!] = gen;
    const { productOf, offsets: pOff, articles: pArticles } = this.products;
    const split1 = m.splitDay - 1;
    const last = Math.min(end, start + this.options.maxHistoryPurchases);
    for (let j = start; j < last; j++) {
      const a = hArticles[j]!;
      const w = this.decay[split1 - hDays[j]!]!;
      const p = productOf[a]!;
      for (let q = pOff[p]!; q < pOff[p + 1]!; q++) {
        const b = pArticles[q]!;
        if (this.purchasedStamp[b] !== gen) this.credit(b, w, gen);
      }
    }
    const n = this.top(gen, false, false);
    this.emit(out, offset, n, gen);
    this.fill(m.popularityRanking, out, offset, n, gen, false);
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

  /**
   * The top 12 touched candidates by score (× the popularity prior when `withPrior`) desc, index asc, into
   * `topIdx`; returns how many there are.
   */
  private top(gen: number, exclude: boolean, withPrior: boolean): number {
    const topIdx = this.topIdx;
    const topScore = this.topScore;
    const prior = this.prior;
    let n = 0;
    for (let t = 0; t < this.nTouched; t++) {
      const a = this.touched[t]!;
      if (exclude && this.purchasedStamp[a] === gen) continue;
      const s = withPrior ? this.score[a]! * prior[a]! : this.score[a]!;
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
    return n;
  }

  private emit(out: Int32Array, offset: number, n: number, gen: number): void {
    for (let i = 0; i < n; i++) {
      out[offset + i] = this.topIdx[i]!;
      this.chosenStamp[this.topIdx[i]!] = gen;
    }
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

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
