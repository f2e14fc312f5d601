import { RecsysFormatError, RecsysInputError } from './errors';
import { ExactSum } from './exact-sum';
import { K } from './metrics';

/**
 * A method's evaluation over some customers, in a form that merges exactly: counts, exact sums
 * (`ExactSum` partials) of per-customer AP@12 and recall@12, and the set of recommended articles. Merging
 * the partials of any split of the customers gives bit-for-bit the figures of one pass over all of them.
 * JSON-safe (the recommended set is a base64 bitset), so it can travel as a job result.
 */
export interface EvaluationPartial {
  method: string;
  /** Customers recommended for. */
  customers: number;
  /** Of them, customers with holdout purchases (the MAP@12 denominator). */
  evaluated: number;
  apSum: number[];
  recallSum: number[];
  /** Customers whose holdout purchases include new articles; their sums with actual = those new articles. */
  newEvaluated: number;
  newApSum: number[];
  newRecallSum: number[];
  /** Evaluated customers without a purchase before the split (new customers), and their sums. */
  newCustomerEvaluated: number;
  newCustomerApSum: number[];
  newCustomerRecallSum: number[];
  /** Catalogue size, and a bitset (base64, bit i = article i) of articles recommended at least once. */
  articles: number;
  recommended: string;
}

export interface EvaluationResult {
  method: string;
  customers: number;
  evaluated: number;
  /** Mean AP@12 over the evaluated customers (0 when there are none). */
  map12: number;
  /** Mean recall@12 (|top 12 ∩ actual| / |actual|) over the evaluated customers. */
  recall12: number;
  /** Distinct articles recommended / catalogue size. */
  coverage: number;
  recommendedArticles: number;
  articles: number;
  /** The same metrics restricted to holdout purchases of new articles (no sales before the split): cold start. */
  newArticles: SegmentResult;
  /** The same metrics over the customers without a purchase before the split (new customers). */
  newCustomers: SegmentResult;
}

/** MAP@12 and recall@12 over a segment of the evaluated customers. */
export interface SegmentResult {
  evaluated: number;
  map12: number;
  recall12: number;
}

/** Accumulates one method's metrics customer by customer (see `EvaluationPartial`). */
export class EvaluationAccumulator {
  private customers = 0;
  private evaluated = 0;
  private readonly ap = new ExactSum();
  private readonly recall = new ExactSum();
  private newEvaluated = 0;
  private readonly newAp = new ExactSum();
  private readonly newRecall = new ExactSum();
  private newCustomerEvaluated = 0;
  private readonly newCustomerAp = new ExactSum();
  private readonly newCustomerRecall = new ExactSum();
  private readonly recommended: Uint8Array;
  private readonly actualStamp: Int32Array;
  private readonly seenStamp: Int32Array;
  private gen = 0;

  /**
   * @param historySales per-article sales before the split (an article with 0 is *new*); its length is the
   * catalogue size.
   */
  constructor(
    readonly method: string,
    private readonly historySales: Int32Array,
  ) {
    const n = historySales.length;
    this.recommended = new Uint8Array(n);
    this.actualStamp = new Int32Array(n);
    this.seenStamp = new Int32Array(n);
  }

  /**
   * Scores one customer's `k` predictions `predicted[offset, offset + k)` against the distinct articles the
   * customer bought in the holdout, `actual[actualStart, actualEnd)` (empty: counted, not evaluated).
   * `hasHistory` false marks a customer without purchases before the split (the new-customer segment).
   */
  addCustomer(
    predicted: Int32Array,
    offset: number,
    actual: Int32Array,
    actualStart: number,
    actualEnd: number,
    hasHistory = true,
    k = K,
  ): void {
    this.customers++;
    const gen = ++this.gen;
    const n = this.recommended.length;
    for (let i = offset; i < offset + k; i++) {
      const p = predicted[i]!;
      if (!(p >= 0 && p < n)) throw new RecsysInputError(`prediction ${p} is not an article index`);
      this.recommended[p] = 1;
    }
    const m = actualEnd - actualStart;
    if (m === 0) return;
    let mNew = 0;
    for (let j = actualStart; j < actualEnd; j++) {
      const a = actual[j]!;
      if (this.actualStamp[a] === gen) throw new RecsysInputError(`holdout article ${a} listed twice`);
      this.actualStamp[a] = gen;
      if (this.historySales[a] === 0) mNew++;
    }
    let hits = 0;
    let score = 0;
    let newHits = 0;
    let newScore = 0;
    for (let i = 0; i < k; i++) {
      const p = predicted[offset + i]!;
      if (this.seenStamp[p] === gen) continue; // a repeat counts only at its first position
      this.seenStamp[p] = gen;
      if (this.actualStamp[p] !== gen) continue;
      hits++;
      score += hits / (i + 1);
      if (this.historySales[p] === 0) {
        newHits++;
        newScore += newHits / (i + 1);
      }
    }
    this.evaluated++;
    this.ap.add(score / Math.min(m, K));
    this.recall.add(hits / m);
    if (!hasHistory) {
      this.newCustomerEvaluated++;
      this.newCustomerAp.add(score / Math.min(m, K));
      this.newCustomerRecall.add(hits / m);
    }
    if (mNew > 0) {
      this.newEvaluated++;
      this.newAp.add(newScore / Math.min(mNew, K));
      this.newRecall.add(newHits / mNew);
    }
  }

  /** Counts a customer for whom there is no prediction at all (AP and recall 0 if they bought in the holdout). */
  addWithoutPrediction(actual: Int32Array, actualStart: number, actualEnd: number, hasHistory = true): void {
    this.customers++;
    if (actualEnd === actualStart) return;
    this.evaluated++;
    if (!hasHistory) this.newCustomerEvaluated++;
    for (let j = actualStart; j < actualEnd; j++) {
      if (this.historySales[actual[j]!] === 0) {
        this.newEvaluated++;
        break;
      }
    }
  }

  /** Adds another accumulator's (or partial's) customers. */
  merge(other: EvaluationAccumulator | EvaluationPartial): void {
    const p = other instanceof EvaluationAccumulator ? other.toPartial() : other;
    if (p.method !== this.method) throw new RecsysInputError(`cannot merge ${p.method} into ${this.method}`);
    if (p.articles !== this.recommended.length)
      throw new RecsysInputError(`partial is for ${p.articles} articles, not ${this.recommended.length}`);
    this.customers += p.customers;
    this.evaluated += p.evaluated;
    this.newEvaluated += p.newEvaluated;
    this.newCustomerEvaluated += p.newCustomerEvaluated;
    this.newCustomerAp.merge(ExactSum.fromJSON(p.newCustomerApSum));
    this.newCustomerRecall.merge(ExactSum.fromJSON(p.newCustomerRecallSum));
    this.ap.merge(ExactSum.fromJSON(p.apSum));
    this.recall.merge(ExactSum.fromJSON(p.recallSum));
    this.newAp.merge(ExactSum.fromJSON(p.newApSum));
    this.newRecall.merge(ExactSum.fromJSON(p.newRecallSum));
    const bits = Buffer.from(p.recommended, 'base64');
    if (bits.length !== Math.ceil(p.articles / 8))
      throw new RecsysFormatError('recommended bitset has the wrong length');
    for (let a = 0; a < p.articles; a++) if ((bits[a >> 3]! >> (a & 7)) & 1) this.recommended[a] = 1;
  }

  toPartial(): EvaluationPartial {
    const n = this.recommended.length;
    const bits = Buffer.alloc(Math.ceil(n / 8));
    for (let a = 0; a < n; a++) if (this.recommended[a]) bits[a >> 3]! |= 1 << (a & 7);
    return {
      method: this.method,
      customers: this.customers,
      evaluated: this.evaluated,
      apSum: this.ap.toJSON(),
      recallSum: this.recall.toJSON(),
      newEvaluated: this.newEvaluated,
      newApSum: this.newAp.toJSON(),
      newRecallSum: this.newRecall.toJSON(),
      newCustomerEvaluated: this.newCustomerEvaluated,
      newCustomerApSum: this.newCustomerAp.toJSON(),
      newCustomerRecallSum: this.newCustomerRecall.toJSON(),
      articles: n,
      recommended: bits.toString('base64'),
    };
  }

  result(): EvaluationResult {
    let recommended = 0;
    for (let a = 0; a < this.recommended.length; a++) recommended += this.recommended[a]!;
    const mean = (s: ExactSum, n: number): number => (n === 0 ? 0 : s.value() / n);
    return {
      method: this.method,
      customers: this.customers,
      evaluated: this.evaluated,
      map12: mean(this.ap, this.evaluated),
      recall12: mean(this.recall, this.evaluated),
      coverage: this.recommended.length === 0 ? 0 : recommended / this.recommended.length,
      recommendedArticles: recommended,
      articles: this.recommended.length,
      newArticles: {
        evaluated: this.newEvaluated,
        map12: mean(this.newAp, this.newEvaluated),
        recall12: mean(this.newRecall, this.newEvaluated),
      },
      newCustomers: {
        evaluated: this.newCustomerEvaluated,
        map12: mean(this.newCustomerAp, this.newCustomerEvaluated),
        recall12: mean(this.newCustomerRecall, this.newCustomerEvaluated),
      },
    };
  }
}

/** Checks the shape of an `EvaluationPartial` that came from outside (a job result, a file). */
export function parseEvaluationPartial(value: unknown): EvaluationPartial {
  const v = value as Partial<Record<keyof EvaluationPartial, unknown>> | null;
  const count = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 0;
  const sum = (x: unknown): x is number[] =>
    Array.isArray(x) && x.every((e) => typeof e === 'number' && Number.isFinite(e));
  if (
    typeof v !== 'object' ||
    v === null ||
    typeof v.method !== 'string' ||
    !count(v.customers) ||
    !count(v.evaluated) ||
    !count(v.newEvaluated) ||
    !count(v.newCustomerEvaluated) ||
    !sum(v.newCustomerApSum) ||
    !sum(v.newCustomerRecallSum) ||
    !count(v.articles) ||
    !sum(v.apSum) ||
    !sum(v.recallSum) ||
    !sum(v.newApSum) ||
    !sum(v.newRecallSum) ||
    typeof v.recommended !== 'string'
  ) {
    throw new RecsysFormatError('not an evaluation partial');
  }
  return v as EvaluationPartial;
}

/** Merges partials of one method (e.g. one per customer range) and computes the final figures. */
export function combineEvaluations(partials: readonly EvaluationPartial[]): EvaluationResult {
  const first = partials[0];
  if (first === undefined) throw new RecsysInputError('combineEvaluations needs at least one partial');
  const acc = new EvaluationAccumulator(first.method, new Int32Array(first.articles));
  for (const p of partials) acc.merge(p);
  return acc.result();
}
