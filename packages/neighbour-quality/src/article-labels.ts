import { QUALITY_LABEL_COLUMNS, type QualityLabelColumn } from '@lookalike/core';
import {
  type ArticlesReadResult,
  type CsvSource,
  readArticles,
  type ReadArticlesOptions,
} from '@lookalike/recsys';

/** One label column over the rows of a neighbour table: a value number per row (−1: no value). */
export interface LabelColumn {
  codes: Int32Array;
  /** Distinct values among the rows. */
  values: number;
}

/** The label columns `articles.csv` has, aligned with a neighbour table's rows. */
export interface ArticleLabels {
  columns: Map<QualityLabelColumn, LabelColumn>;
  /** Rows whose article `articles.csv` lists. */
  labelled: number;
}

/** Reads the label columns of `articles.csv` (those present; the others are left out of the report). */
export function readArticleLabels(
  source: CsvSource,
  options: Omit<ReadArticlesOptions, 'keepColumns'> = {},
): Promise<ArticlesReadResult> {
  return readArticles(source, { ...options, keepColumns: QUALITY_LABEL_COLUMNS });
}

/** Aligns what `readArticleLabels` read with the rows of a neighbour table (`articleIds[row]`). */
export function labelsForRows(articleIds: readonly string[], read: ArticlesReadResult): ArticleLabels {
  const rowOf = articleIds.map((id) => read.articles.indexOf(id));
  const columns = new Map<QualityLabelColumn, LabelColumn>();
  for (const column of QUALITY_LABEL_COLUMNS) {
    const values = read.attributes[column];
    if (values === undefined) continue;
    const numbers = new Map<string, number>();
    const codes = new Int32Array(articleIds.length).fill(-1);
    rowOf.forEach((index, row) => {
      const value = index >= 0 ? values[index] : undefined;
      if (value === undefined || value.trim() === '') return;
      let code = numbers.get(value);
      if (code === undefined) numbers.set(value, (code = numbers.size));
      codes[row] = code;
    });
    columns.set(column, { codes, values: numbers.size });
  }
  return { columns, labelled: rowOf.filter((i) => i >= 0).length };
}
