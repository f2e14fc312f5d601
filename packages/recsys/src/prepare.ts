import type { Dataset } from './dataset';
import { RecsysInputError } from './errors';
import type { ArticleStats, ColdLinks, CustomerHistory, CustomerHoldout, PreparedModel } from './model';
import { alignNeighbours, type ArticleNeighbours, type NeighbourInput } from './neighbours';
import { resolveRecommendOptions, type RecommendOptions } from './recommend-options';
import { validateTransactionLog, type TransactionLog } from './transactions';

export interface PrepareOptions {
  /** The last `holdoutDays` days of the data are the holdout (0: none, recommend for after the data). Default 7. */
  holdoutDays?: number;
  /** Popularity counts sales in this many days before the split. Default 7 (the last history week). */
  popularityWindowDays?: number;
  /** Share of its neighbours' popularity a new article inherits (0 turns the boost off). Default 1. */
  coldStartShare?: number;
  /** Build reverse links from purchased articles to new arrivals that look like them. Default true. */
  coldLinks?: boolean;
  /** The recommenders' options, recorded in the model (defaults: `DEFAULT_RECOMMEND_OPTIONS`). */
  recommend?: RecommendOptions;
}

export const DEFAULT_PREPARE_OPTIONS: Required<Omit<PrepareOptions, 'recommend'>> = {
  holdoutDays: 7,
  popularityWindowDays: 7,
  coldStartShare: 1,
  coldLinks: true,
};

export interface PrepareReport {
  /** Neighbour-table articles missing from the dataset (appended), and neighbour entries dropped. */
  addedArticles: number;
  droppedNeighbourEntries: number;
  historyRows: number;
  holdoutRows: number;
  /** Distinct (customer, article) pairs in the holdout. */
  holdoutPairs: number;
  /** Customers with at least one holdout purchase. */
  holdoutCustomers: number;
  /** Articles without sales before the split, and those of them sold in the holdout. */
  newArticles: number;
  newArticlesSoldInHoldout: number;
}

/**
 * Prepares the shared model: splits the transactions in time, groups them by customer (CSR, most recent
 * first), counts popularity, gives new articles their inherited popularity and reverse links, and ranks
 * the catalogue. `neighbours` may be a pipeline table (`NeighbourInput`, aligned here; its unknown articles
 * are appended to `dataset.articles`) or already aligned `ArticleNeighbours` for this dataset.
 *
 * Work is a few linear passes, a counting sort of the transaction indices by customer and a small sort
 * per customer; peak extra memory is one Int32 permutation (4 bytes a row) plus the outputs (6 bytes a
 * history row). Synchronous: a service should run it in a sandboxed processor or a worker thread.
 */
export function prepareModel(
  dataset: Dataset,
  neighbours: NeighbourInput | ArticleNeighbours,
  options: PrepareOptions = {},
): { model: PreparedModel; report: PrepareReport } {
  const o = resolvePrepareOptions(options);
  const recommendOptions = resolveRecommendOptions(options.recommend);
  let aligned: ArticleNeighbours;
  let addedArticles = 0;
  let dropped = 0;
  if ('articleIds' in neighbours) {
    const a = alignNeighbours(dataset.articles, neighbours);
    aligned = a.neighbours;
    addedArticles = a.addedArticles;
    dropped = a.droppedEntries;
  } else {
    aligned = neighbours;
  }
  const nA = dataset.articles.size;
  const nC = dataset.customers.size;
  if (aligned.ids.length !== nA * aligned.k || aligned.scores.length !== nA * aligned.k) {
    throw new RecsysInputError(`aligned neighbours must have ${nA} articles × k = ${aligned.k} entries`);
  }
  const log = dataset.transactions;
  validateTransactionLog(log, nC, nA);
  if (log.length === 0) throw new RecsysInputError('no transactions');

  let firstDay = 0xffff;
  let lastDay = 0;
  for (let i = 0; i < log.length; i++) {
    const d = log.day[i]!;
    if (d < firstDay) firstDay = d;
    if (d > lastDay) lastDay = d;
  }
  const splitDay = lastDay - o.holdoutDays + 1;
  const { history, holdout, holdoutRows, holdoutCustomers } = splitByCustomer(log, nC, nA, lastDay, splitDay);
  const stats = articleStats(history, nA, splitDay, o.popularityWindowDays, aligned, o.coldStartShare);
  const popularityRanking = rankArticles(stats.windowSales, stats.historySales);
  const boostedRanking = rankArticles(stats.boostedPopularity, stats.historySales);
  const coldLinks = o.coldLinks ? buildColdLinks(aligned, stats.historySales) : emptyColdLinks(nA);

  let newArticles = 0;
  let newSold = 0;
  const soldInHoldout = new Uint8Array(nA);
  for (let j = 0; j < holdout.articles.length; j++) soldInHoldout[holdout.articles[j]!] = 1;
  for (let a = 0; a < nA; a++) {
    if (stats.historySales[a] === 0) {
      newArticles++;
      newSold += soldInHoldout[a]!;
    }
  }
  const model: PreparedModel = {
    customers: dataset.customers,
    articles: dataset.articles,
    listedCustomers: dataset.listedCustomers,
    listedArticles: dataset.listedArticles,
    firstDay,
    lastDay,
    splitDay,
    holdoutDays: o.holdoutDays,
    popularityWindowDays: o.popularityWindowDays,
    coldStartShare: o.coldStartShare,
    history,
    holdout,
    stats,
    popularityRanking,
    boostedRanking,
    neighbours: aligned,
    coldLinks,
    recommendOptions,
  };
  return {
    model,
    report: {
      addedArticles,
      droppedNeighbourEntries: dropped,
      historyRows: history.articles.length,
      holdoutRows,
      holdoutPairs: holdout.articles.length,
      holdoutCustomers,
      newArticles,
      newArticlesSoldInHoldout: newSold,
    },
  };
}

export function resolvePrepareOptions(options: PrepareOptions): Required<Omit<PrepareOptions, 'recommend'>> {
  const { recommend: _recommend, ...rest } = options;
  const o = { ...DEFAULT_PREPARE_OPTIONS, ...stripUndefined(rest) };
  if (!Number.isInteger(o.holdoutDays) || o.holdoutDays < 0 || o.holdoutDays > 3650) {
    throw new RecsysInputError(`holdoutDays must be an integer in [0, 3650], got ${o.holdoutDays}`);
  }
  if (
    !Number.isInteger(o.popularityWindowDays) ||
    o.popularityWindowDays < 1 ||
    o.popularityWindowDays > 3650
  ) {
    throw new RecsysInputError(
      `popularityWindowDays must be an integer in [1, 3650], got ${o.popularityWindowDays}`,
    );
  }
  if (!(o.coldStartShare >= 0 && o.coldStartShare <= 100)) {
    throw new RecsysInputError(`coldStartShare must be in [0, 100], got ${o.coldStartShare}`);
  }
  return o;
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Stable counting sort of the transaction indices by customer; returns them and the per-customer offsets. */
function groupByCustomer(log: TransactionLog, nC: number): { perm: Int32Array; offsets: Int32Array } {
  const n = log.length;
  const offsets = new Int32Array(nC + 1);
  const customer = log.customer;
  for (let i = 0; i < n; i++) offsets[customer[i]! + 1]!++;
  for (let c = 0; c < nC; c++) offsets[c + 1]! += offsets[c]!;
  const pos = offsets.slice(0, nC);
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[pos[customer[i]!]!++] = i;
  return { perm, offsets };
}

/**
 * Builds the history and holdout CSR: each customer's rows are ordered by day descending then article
 * ascending (sorting the key (lastDay − day)·nA + article per customer: insertion sort for short
 * segments, the native typed-array sort for long ones), so holdout rows come first and are split off.
 */
function splitByCustomer(
  log: TransactionLog,
  nC: number,
  nA: number,
  lastDay: number,
  splitDay: number,
): { history: CustomerHistory; holdout: CustomerHoldout; holdoutRows: number; holdoutCustomers: number } {
  const { perm, offsets } = groupByCustomer(log, nC);
  let holdoutRows = 0;
  let longest = 0;
  for (let i = 0; i < log.length; i++) if (log.day[i]! >= splitDay) holdoutRows++;
  for (let c = 0; c < nC; c++) longest = Math.max(longest, offsets[c + 1]! - offsets[c]!);
  const historyRows = log.length - holdoutRows;
  const hOffsets = new Int32Array(nC + 1);
  const hArticles = new Int32Array(historyRows);
  const hDays = new Uint16Array(historyRows);
  const oOffsets = new Int32Array(nC + 1);
  let oArticles = new Int32Array(holdoutRows);
  const keys = new Float64Array(longest);
  const stamp = new Int32Array(nA).fill(-1);
  const splitKey = (lastDay - splitDay + 1) * nA; // keys below this are holdout rows
  let h = 0;
  let o = 0;
  let holdoutCustomers = 0;
  for (let c = 0; c < nC; c++) {
    const begin = offsets[c]!;
    const len = offsets[c + 1]! - begin;
    // Reverse order: a date-ascending file then gives nearly sorted keys.
    for (let q = 0; q < len; q++) {
      const t = perm[begin + len - 1 - q]!;
      keys[q] = (lastDay - log.day[t]!) * nA + log.article[t]!;
    }
    if (len > 48) keys.subarray(0, len).sort();
    else {
      for (let q = 1; q < len; q++) {
        const v = keys[q]!;
        let p = q - 1;
        while (p >= 0 && keys[p]! > v) {
          keys[p + 1] = keys[p]!;
          p--;
        }
        keys[p + 1] = v;
      }
    }
    const oStart = o;
    let q = 0;
    for (; q < len && keys[q]! < splitKey; q++) {
      const v = keys[q]!;
      const art = v - Math.floor(v / nA) * nA;
      if (stamp[art] !== c) {
        stamp[art] = c;
        oArticles[o++] = art;
      }
    }
    if (o - oStart > 1) oArticles.subarray(oStart, o).sort();
    if (o > oStart) holdoutCustomers++;
    for (; q < len; q++) {
      const v = keys[q]!;
      const back = Math.floor(v / nA);
      hArticles[h] = v - back * nA;
      hDays[h] = lastDay - back;
      h++;
    }
    hOffsets[c + 1] = h;
    oOffsets[c + 1] = o;
  }
  if (o < oArticles.length) oArticles = oArticles.slice(0, o);
  return {
    history: { offsets: hOffsets, articles: hArticles, days: hDays },
    holdout: { offsets: oOffsets, articles: oArticles },
    holdoutRows,
    holdoutCustomers,
  };
}

function articleStats(
  history: CustomerHistory,
  nA: number,
  splitDay: number,
  windowDays: number,
  neighbours: ArticleNeighbours,
  share: number,
): ArticleStats {
  const historySales = new Int32Array(nA);
  const windowSales = new Int32Array(nA);
  const windowStart = splitDay - windowDays;
  const { articles, days } = history;
  for (let j = 0; j < articles.length; j++) {
    const a = articles[j]!;
    historySales[a]!++;
    if (days[j]! >= windowStart) windowSales[a]!++;
  }
  const boosted = new Float32Array(nA);
  const k = neighbours.k;
  for (let a = 0; a < nA; a++) {
    if (historySales[a]! > 0) {
      boosted[a] = windowSales[a]!;
      continue;
    }
    let num = 0;
    let den = 0;
    for (let j = a * k; j < a * k + k; j++) {
      const nb = neighbours.ids[j]!;
      const s = neighbours.scores[j]!;
      if (nb < 0 || !(s > 0)) continue;
      num += s * windowSales[nb]!;
      den += s;
    }
    boosted[a] = den > 0 ? (share * num) / den : 0;
  }
  return { historySales, windowSales, boostedPopularity: boosted };
}

/** All article indices by `primary` desc, then `secondary` desc, then index asc. */
export function rankArticles(primary: ArrayLike<number>, secondary: ArrayLike<number>): Int32Array {
  const n = primary.length;
  const idx = Array.from({ length: n }, (_, i) => i);
  idx.sort((x, y) => primary[y]! - primary[x]! || secondary[y]! - secondary[x]! || x - y);
  return Int32Array.from(idx);
}

function buildColdLinks(neighbours: ArticleNeighbours, historySales: Int32Array): ColdLinks {
  const nA = historySales.length;
  const k = neighbours.k;
  const offsets = new Int32Array(nA + 1);
  const eachLink = (fn: (from: number, to: number, score: number) => void): void => {
    for (let b = 0; b < nA; b++) {
      if (historySales[b] !== 0) continue;
      for (let j = b * k; j < b * k + k; j++) {
        const a = neighbours.ids[j]!;
        const s = neighbours.scores[j]!;
        if (a >= 0 && s > 0) fn(a, b, s);
      }
    }
  };
  eachLink((from) => offsets[from + 1]!++);
  for (let a = 0; a < nA; a++) offsets[a + 1]! += offsets[a]!;
  const ids = new Int32Array(offsets[nA]!);
  const scores = new Float32Array(offsets[nA]!);
  const pos = offsets.slice(0, nA);
  eachLink((from, to, s) => {
    const p = pos[from]!++;
    ids[p] = to;
    scores[p] = s;
  });
  return { offsets, ids, scores };
}

function emptyColdLinks(nA: number): ColdLinks {
  return { offsets: new Int32Array(nA + 1), ids: new Int32Array(0), scores: new Float32Array(0) };
}
