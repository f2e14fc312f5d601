import type { CustomerHistory } from './model';
import { rankArticles } from './prepare';

/**
 * What the hybrid knows about each article from the last weeks before the split: whether it still sells
 * (`recentSales` in the active window: the winners of the H&M competition dropped articles no longer sold), and
 * its trending popularity (sales of the trend window, each weighted 2^(−age / half-life), divided by the top
 * article's, so the best seller scores 1), with the catalogue ranked by it.
 */
export interface ArticleActivity {
  readonly recentSales: Int32Array;
  readonly trend: Float32Array;
  /** Every article by trend desc, then sales before the split desc, then index asc. */
  readonly trendRanking: Int32Array;
}

export function articleActivity(
  history: CustomerHistory,
  articles: number,
  splitDay: number,
  historySales: Int32Array,
  options: { activeWindowDays: number; trendWindowDays: number; trendHalfLifeDays: number },
): ArticleActivity {
  const recentSales = new Int32Array(articles);
  const raw = new Float64Array(articles);
  const activeFrom = splitDay - options.activeWindowDays;
  const trendFrom = splitDay - options.trendWindowDays;
  const decay = Array.from({ length: options.trendWindowDays }, (_, age) =>
    Math.pow(2, -age / options.trendHalfLifeDays),
  );
  const { articles: hArticles, days } = history;
  for (let j = 0; j < hArticles.length; j++) {
    const d = days[j]!;
    if (d < activeFrom) continue;
    const a = hArticles[j]!;
    recentSales[a]!++;
    if (d >= trendFrom) raw[a]! += decay[splitDay - 1 - d]!;
  }
  let max = 0;
  for (let a = 0; a < articles; a++) max = Math.max(max, raw[a]!);
  const trend = new Float32Array(articles);
  if (max > 0) for (let a = 0; a < articles; a++) trend[a] = raw[a]! / max;
  return { recentSales, trend, trendRanking: rankArticles(trend, historySales) };
}
