import { type NeighbourQualityReport, QUALITY_LABEL_NAMES } from '@lookalike/core';

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
      `${indent}${QUALITY_LABEL_NAMES[label.column].padEnd(22)}${ks.map((k) => cell(label.shareAt[String(k)])).join('')}${label.chance.toFixed(3)}`,
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
