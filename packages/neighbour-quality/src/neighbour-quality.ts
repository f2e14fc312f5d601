import {
  type LabelAgreement,
  type NeighbourQualityReport,
  QUALITY_KS,
  type SiblingRecall,
} from '@lookalike/core';
import type { ArticleLabels, LabelColumn } from './article-labels';

/** A neighbour table: row r is `articleIds[r]`, its j-th neighbour is row `ids[r * k + j]` (−1: none). */
export interface NeighbourTableView {
  articleIds: readonly string[];
  k: number;
  ids: Int32Array;
}

const round = (v: number) => Math.round(v * 1e6) / 1e6;

/** Σ n_v (n_v − 1) / (N (N − 1)): the chance that another labelled article, drawn at random, shares the value. */
function chanceOf(counts: Int32Array, labelled: number): number {
  if (labelled < 2) return 0;
  let same = 0;
  for (const n of counts) same += n * (n - 1);
  return same / (labelled * (labelled - 1));
}

function valueCounts(column: LabelColumn): { counts: Int32Array; labelled: number } {
  const counts = new Int32Array(column.values);
  let labelled = 0;
  for (const code of column.codes) {
    if (code < 0) continue;
    counts[code]! += 1;
    labelled += 1;
  }
  return { counts, labelled };
}

/** Neighbours of `row` among its first `k` with the same value in `column`. */
function matches(table: NeighbourTableView, codes: Int32Array, row: number, k: number): number {
  const mine = codes[row]!;
  let same = 0;
  for (let j = 0; j < k; j++) {
    const other = table.ids[row * table.k + j]!;
    if (other >= 0 && codes[other] === mine) same += 1;
  }
  return same;
}

function agreement(
  table: NeighbourTableView,
  column: LabelAgreement['column'],
  labels: LabelColumn,
  ks: number[],
) {
  const { counts, labelled } = valueCounts(labels);
  const shareAt: Record<string, number> = {};
  for (const k of ks) {
    let sum = 0;
    for (let row = 0; row < table.articleIds.length; row++) {
      if (labels.codes[row]! >= 0) sum += matches(table, labels.codes, row, k) / k;
    }
    shareAt[String(k)] = labelled === 0 ? 0 : round(sum / labelled);
  }
  return {
    column,
    articles: labelled,
    values: labels.values,
    chance: round(chanceOf(counts, labelled)),
    shareAt,
  };
}

function siblingRecall(table: NeighbourTableView, codes: LabelColumn, ks: number[]): SiblingRecall {
  const { counts } = valueCounts(codes);
  const recallAt: Record<string, number> = {};
  const shareAt: Record<string, number> = {};
  let articles = 0;
  let siblings = 0;
  for (let row = 0; row < table.articleIds.length; row++) {
    const code = codes.codes[row]!;
    if (code >= 0 && counts[code]! > 1) {
      articles += 1;
      siblings += counts[code]! - 1;
    }
  }
  for (const k of ks) {
    let recall = 0;
    let share = 0;
    for (let row = 0; row < table.articleIds.length; row++) {
      const code = codes.codes[row]!;
      if (code < 0 || counts[code]! < 2) continue;
      const found = matches(table, codes.codes, row, k);
      recall += found / (counts[code]! - 1);
      share += found / k;
    }
    recallAt[String(k)] = articles === 0 ? 0 : round(recall / articles);
    shareAt[String(k)] = articles === 0 ? 0 : round(share / articles);
  }
  return { articles, meanSiblings: articles === 0 ? 0 : round(siblings / articles), recallAt, shareAt };
}

/**
 * How often each article's top-k neighbours share its product type, group, colour, appearance and product code,
 * beside chance, and how many of its colour variants (same product code) they find. O(rows × k × columns): cheap
 * at 105k articles.
 */
export function measureNeighbourQuality(
  table: NeighbourTableView,
  labels: ArticleLabels,
  wanted: readonly number[] = QUALITY_KS,
): NeighbourQualityReport {
  if (table.ids.length !== table.articleIds.length * table.k)
    throw new RangeError(
      `neighbour table has ${table.ids.length} ids, expected ${table.articleIds.length} × ${table.k}`,
    );
  const ks = wanted.filter((k) => Number.isInteger(k) && k >= 1 && k <= table.k);
  const report: NeighbourQualityReport = {
    version: 1,
    articles: table.articleIds.length,
    labelled: labels.labelled,
    k: table.k,
    ks,
    labels: [...labels.columns].map(([column, values]) => agreement(table, column, values, ks)),
  };
  const codes = labels.columns.get('product_code');
  if (codes !== undefined) report.siblings = siblingRecall(table, codes, ks);
  return report;
}
