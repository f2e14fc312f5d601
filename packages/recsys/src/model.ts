import type { ArticleIdTable } from './article-id-table';
import type { IdTable } from './id-table';
import type { ArticleNeighbours } from './neighbours';
import type { ResolvedRecommendOptions } from './recommend-options';

/**
 * Each customer's purchases before the split, most recent first (day descending, then article index
 * ascending; a repeated purchase appears once per row): customer `c`'s are entries
 * `[offsets[c], offsets[c + 1])` of `articles` / `days` (CSR).
 */
export interface CustomerHistory {
  readonly offsets: Int32Array;
  readonly articles: Int32Array;
  readonly days: Uint16Array;
}

/** The distinct articles each customer bought in the holdout, ascending: `[offsets[c], offsets[c + 1])`. */
export interface CustomerHoldout {
  readonly offsets: Int32Array;
  readonly articles: Int32Array;
}

/**
 * Reverse visual links into new arrivals: for article `a`, entries `[offsets[a], offsets[a + 1])` list new
 * articles `b` (no sales before the split) whose own neighbour lists contain `a`, with that similarity.
 * Neighbour lists are not symmetric, so without these a new article that looks like a purchase would only
 * be reached when it happens to be among the purchase's own top k.
 */
export interface ColdLinks {
  readonly offsets: Int32Array;
  readonly ids: Int32Array;
  readonly scores: Float32Array;
}

/** Per-article sales figures computed from the history. */
export interface ArticleStats {
  /** Sales (rows) before the split. 0 marks a *new* article. */
  readonly historySales: Int32Array;
  /** Sales in the popularity window: the last `popularityWindowDays` days before the split. */
  readonly windowSales: Int32Array;
  /**
   * Popularity with the cold-start boost: `windowSales` for an article with history; for a new article,
   * `coldStartShare` × the similarity-weighted mean `windowSales` of its visual neighbours.
   */
  readonly boostedPopularity: Float32Array;
}

/**
 * Everything the recommenders and the evaluation need, prepared once from a dataset and a neighbour table
 * and shared by every worker (see `model-codec.ts`). Day numbers are days since 1970-01-01.
 */
export interface PreparedModel {
  readonly customers: IdTable;
  readonly articles: ArticleIdTable;
  /** Customers `[0, listedCustomers)` are customers.csv's rows, in order. */
  readonly listedCustomers: number;
  readonly listedArticles: number;
  /** Earliest and latest transaction day. */
  readonly firstDay: number;
  readonly lastDay: number;
  /** First holdout day: history is `day < splitDay`, holdout `day >= splitDay`. */
  readonly splitDay: number;
  readonly holdoutDays: number;
  readonly popularityWindowDays: number;
  readonly coldStartShare: number;
  readonly history: CustomerHistory;
  readonly holdout: CustomerHoldout;
  readonly stats: ArticleStats;
  /** Every article, most popular first: window sales desc, then history sales desc, then index asc. */
  readonly popularityRanking: Int32Array;
  /** Every article by boosted popularity desc, then history sales desc, then index asc. */
  readonly boostedRanking: Int32Array;
  readonly neighbours: ArticleNeighbours;
  readonly coldLinks: ColdLinks;
  /** The recommenders' options for this model (recorded: every worker, the API and the gallery use them). */
  readonly recommendOptions: ResolvedRecommendOptions;
}
