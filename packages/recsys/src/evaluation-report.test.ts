import { scenario } from '../test/scenario';
import { combineEvaluations } from './evaluation';
import { renderEvaluationReport } from './evaluation-report';
import { prepareModel } from './prepare';
import { PUBLISHED_HM_RESULTS } from './published-results';
import { recommendRange } from './recommend-range';
import { METHODS } from './recommender';

describe('renderEvaluationReport', () => {
  const { dataset, neighbours } = scenario();
  const { model, report } = prepareModel(dataset, neighbours);
  const run = recommendRange(model, 0, model.customers.size);
  const results = METHODS.map((m) => combineEvaluations([run.evaluation[m]!]));
  const md = renderEvaluationReport({
    rebuildId: 'rb-1',
    holdoutDays: 7,
    customers: model.customers.size,
    holdoutCustomers: report.holdoutCustomers,
    newArticles: report.newArticles,
    newArticlesSoldInHoldout: report.newArticlesSoldInHoldout,
    submissionMethod: 'hybrid',
    options: model.recommendOptions,
    results,
  });

  it('tabulates every method overall, on new articles and for new customers, the submission marked', () => {
    expect(md).toContain('3 of 10 customers bought in the holdout,\n1 of them without any earlier purchase');
    for (const r of results) {
      const row = md.split('\n').find((l) => l.startsWith(`| ${r.method}`))!;
      expect(row.split('|').map((c) => c.trim())).toEqual([
        '',
        r.method === 'hybrid' ? 'hybrid (submission)' : r.method,
        r.map12.toFixed(5),
        r.recall12.toFixed(4),
        r.newArticles.map12.toFixed(5),
        r.newArticles.recall12.toFixed(4),
        r.newCustomers.map12.toFixed(5),
        r.newCustomers.recall12.toFixed(4),
        `${(r.coverage * 100).toFixed(1)}%`,
        '',
      ]);
    }
    expect(md).toContain('`trendingWeight` 0.35');
  });

  it('quotes the published real-data figures with their sources', () => {
    expect(md).toContain('## In context: the real H&M data');
    for (const p of PUBLISHED_HM_RESULTS) {
      const row = md.split('\n').find((l) => l.startsWith(`| ${p.method} |`))!;
      expect(row).toContain(p.source.url ? `](${p.source.url})` : p.source.title);
    }
    expect(md).toContain('| image embeddings alone | 0.0024 | 0.0018 |');
  });
});
