import type { NeighbourQualityReport } from '@lookalike/core';

const LABEL_NAMES: Record<string, string> = {
  product_type_name: 'product type',
  product_group_name: 'product group',
  colour_group_name: 'colour',
  graphical_appearance_name: 'appearance',
  product_code: 'product code',
};

/**
 * The neighbour-quality report as text lines: for each label, the share of top-k neighbours with the article's
 * value at every k, beside chance; then colour-variant recall.
 */
export function renderQualityTable(report: NeighbourQualityReport, indent = ''): string[] {
  const ks = report.ks;
  const cell = (v: number | undefined) => (v === undefined ? '–' : v.toFixed(3)).padEnd(7);
  const lines = [
    `${indent}${'same as the article'.padEnd(22)}${ks.map((k) => `@${k}`.padEnd(7)).join('')}chance`,
  ];
  for (const label of report.labels) {
    lines.push(
      `${indent}${(LABEL_NAMES[label.column] ?? label.column).padEnd(22)}${ks.map((k) => cell(label.shareAt[String(k)])).join('')}${label.chance.toFixed(3)}`,
    );
  }
  const siblings = report.siblings;
  if (siblings !== undefined && siblings.articles > 0) {
    lines.push(
      `${indent}${'colour-variant recall'.padEnd(22)}${ks.map((k) => cell(siblings.recallAt[String(k)])).join('')}` +
        `(${siblings.articles} articles with a variant)`,
    );
  }
  return lines;
}
