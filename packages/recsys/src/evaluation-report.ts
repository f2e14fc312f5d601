import type { EvaluationResult } from './evaluation';
import { PUBLISHED_CONTEXT, PUBLISHED_HM_RESULTS } from './published-results';

export interface EvaluationReportInput {
  rebuildId: string;
  holdoutDays: number;
  customers: number;
  holdoutCustomers: number;
  newArticles: number;
  newArticlesSoldInHoldout: number;
  /** The method of submission.csv, and the recommender options used (recorded in the model). */
  submissionMethod: string;
  options: Readonly<Record<string, number | boolean>>;
  results: readonly EvaluationResult[];
}

const fixed = (v: number, digits: number): string => v.toFixed(digits);
const segment = (
  s: { evaluated: number; map12: number; recall12: number },
  digits: number,
  key: 'map12' | 'recall12',
) => (s.evaluated > 0 ? fixed(s[key], digits) : '–');

/** `evaluation.md`: every method overall, on new articles and for new customers, beside the published figures. */
export function renderEvaluationReport(r: EvaluationReportInput): string {
  const newCustomers = r.results[0]?.newCustomers.evaluated ?? 0;
  const rows = r.results
    .map(
      (e) =>
        `| ${e.method}${e.method === r.submissionMethod ? ' (submission)' : ''} | ${fixed(e.map12, 5)} | ${fixed(e.recall12, 4)} | ` +
        `${segment(e.newArticles, 5, 'map12')} | ${segment(e.newArticles, 4, 'recall12')} | ` +
        `${segment(e.newCustomers, 5, 'map12')} | ${segment(e.newCustomers, 4, 'recall12')} | ${(e.coverage * 100).toFixed(1)}% |`,
    )
    .join('\n');
  const published = PUBLISHED_HM_RESULTS.map(
    (p) =>
      `| ${p.method} | ${p.validation === undefined ? '–' : p.validation} | ${p.kaggle === undefined ? '–' : p.kaggle} | ${
        p.source.url ? `[${p.source.title}](${p.source.url})` : p.source.title
      } |`,
  ).join('\n');
  const options = Object.entries(r.options)
    .map(([k, v]) => `\`${k}\` ${v}`)
    .join(', ');
  return `# Evaluation of rebuild ${r.rebuildId}

Holdout: the last ${r.holdoutDays} days of the transactions. ${r.holdoutCustomers} of ${r.customers} customers bought in the holdout,
${newCustomers} of them without any earlier purchase (new customers); ${r.newArticlesSoldInHoldout} of the ${r.newArticles} articles without
earlier sales (new arrivals) sold there. MAP@12 as in the H&M competition; "new articles" restricts the actual
purchases to new arrivals (cold start), "new customers" scores only the customers without history.
submission.csv holds the ${r.submissionMethod} method.

| method | MAP@12 | recall@12 | MAP@12 new articles | recall@12 new articles | MAP@12 new customers | recall@12 new customers | catalogue coverage |
|---|---|---|---|---|---|---|---|
${rows}

Recommender options: ${options}.

## In context: the real H&M data

${PUBLISHED_CONTEXT}

| on the real data | MAP@12 validation | MAP@12 Kaggle | source |
|---|---|---|---|
${published}
`;
}
