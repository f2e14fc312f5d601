/**
 * Statistics of the simulated purchases measured the way published analyses of the real H&M data measured them,
 * so a reader can compare the sample with the real data (the README lists the published figures):
 *
 * - repeat habits over the last 12 weeks: the share of customers buying in those weeks who, in some week, buy an
 *   article (a product_code, a product type) they bought the week before, or in one of the three weeks before
 *   (within the 12 weeks);
 * - how concentrated and how stable best sellers are: the share of the last week's purchases that are among the
 *   last week's 12 best sellers, and among the previous week's.
 */

export interface RepeatHabits {
  /** Customers with a purchase in the last 12 weeks (the denominator). */
  customers: number;
  /** Shares of them buying in some week what they bought the week before: the same article, product_code, type. */
  withinWeek: RepeatShares;
  /** The same with any of the three weeks before. */
  within3Weeks: RepeatShares;
}

export interface RepeatShares {
  article: number;
  productCode: number;
  productType: number;
}

export interface BestSellerShares {
  /** Share of last-week purchases whose article is one of the last week's 12 best sellers. */
  top12Share: number;
  /** The same share for the 12 best sellers of the week before. */
  previousTop12Share: number;
}

const WINDOW_WEEKS = 12;
const LOOK_BACK_WEEKS = 3;
const TOP = 12;

/** Collects purchases day by day (in date order) and computes `RepeatHabits` and `BestSellerShares`. */
export class HabitStats {
  private readonly windowStart: number;
  private customer = new Int32Array(1024);
  private article = new Int32Array(1024);
  private week = new Int8Array(1024);
  private rows = 0;
  private readonly lastWeekSales: Int32Array;
  private readonly previousWeekSales: Int32Array;

  /**
   * @param days simulated days (weeks are counted back from the last day)
   * @param productOf product (product_code row) of each article; `typeOf` its product type
   */
  constructor(
    private readonly days: number,
    private readonly customers: number,
    private readonly productOf: ArrayLike<number>,
    private readonly typeOf: ArrayLike<number>,
  ) {
    this.windowStart = days - WINDOW_WEEKS * 7;
    this.lastWeekSales = new Int32Array(productOf.length);
    this.previousWeekSales = new Int32Array(productOf.length);
  }

  add(day: number, customer: number, article: number): void {
    if (day >= this.days - 7) this.lastWeekSales[article]!++;
    else if (day >= this.days - 14) this.previousWeekSales[article]!++;
    if (day < this.windowStart) return;
    if (this.rows === this.customer.length) {
      const grow = <T extends Int32Array | Int8Array>(a: T): T => {
        const b = new (a.constructor as new (n: number) => T)(a.length * 2);
        b.set(a);
        return b;
      };
      this.customer = grow(this.customer);
      this.article = grow(this.article);
      this.week = grow(this.week);
    }
    this.customer[this.rows] = customer;
    this.article[this.rows] = article;
    this.week[this.rows] = Math.floor((day - this.windowStart) / 7);
    this.rows++;
  }

  habits(): RepeatHabits {
    const n = this.rows;
    const offsets = new Int32Array(this.customers + 1);
    for (let i = 0; i < n; i++) offsets[this.customer[i]! + 1]!++;
    for (let c = 0; c < this.customers; c++) offsets[c + 1]! += offsets[c]!;
    const pos = offsets.slice(0, this.customers);
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[pos[this.customer[i]!]!++] = i; // stable: date order within a customer
    const keys = [(a: number) => a, (a: number) => this.productOf[a]!, (a: number) => this.typeOf[a]!];
    const repeated = [0, 0, 0];
    const repeatedNextWeek = [0, 0, 0];
    let buyers = 0;
    for (let c = 0; c < this.customers; c++) {
      const from = offsets[c]!;
      const to = offsets[c + 1]!;
      if (to === from) continue;
      buyers++;
      keys.forEach((key, k) => {
        let any = false;
        let nextWeek = false;
        for (let q = from; q < to && !nextWeek; q++) {
          const i = order[q]!;
          const w = this.week[i]!;
          const value = key(this.article[i]!);
          for (let r = from; r < q; r++) {
            const j = order[r]!;
            const lag = w - this.week[j]!;
            if (lag >= 1 && lag <= LOOK_BACK_WEEKS && key(this.article[j]!) === value) {
              any = true;
              if (lag === 1) nextWeek = true;
            }
          }
        }
        if (any) repeated[k]!++;
        if (nextWeek) repeatedNextWeek[k]!++;
      });
    }
    const shares = (counts: number[]): RepeatShares => {
      const share = (x: number) => (buyers === 0 ? 0 : x / buyers);
      return { article: share(counts[0]!), productCode: share(counts[1]!), productType: share(counts[2]!) };
    };
    return { customers: buyers, withinWeek: shares(repeatedNextWeek), within3Weeks: shares(repeated) };
  }

  bestSellers(): BestSellerShares {
    const top = (sales: Int32Array): number[] =>
      Array.from(sales.keys())
        .filter((a) => sales[a]! > 0)
        .sort((x, y) => sales[y]! - sales[x]! || x - y)
        .slice(0, TOP);
    const total = this.lastWeekSales.reduce((s, x) => s + x, 0);
    const covered = (articles: number[]) => articles.reduce((s, a) => s + this.lastWeekSales[a]!, 0);
    return {
      top12Share: total === 0 ? 0 : covered(top(this.lastWeekSales)) / total,
      previousTop12Share: total === 0 ? 0 : covered(top(this.previousWeekSales)) / total,
    };
  }
}
