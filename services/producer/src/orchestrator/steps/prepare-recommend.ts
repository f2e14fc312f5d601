import type { Manifest, RebuildSpec } from '@lookalike/core';
import { RebuildFailedError } from '../rebuild-failed-error';
import { childJob } from '../stage-children';
import type { Step } from './step';

/**
 * Whether the rebuild recommends: it needs both transactions and customers (the API refuses one without
 * the other). Rules prepare-recommend, recommend and evaluate.
 */
export const recommends = (spec: RebuildSpec): boolean => Boolean(spec.transactions && spec.customers);

/** What prepare-recommend recorded, for the steps after it (it runs whenever they do). */
export function prepared(manifest: Manifest): NonNullable<Manifest['recommend']> {
  if (!manifest.recommend)
    throw new RebuildFailedError('recommend stage: prepare-recommend recorded nothing');
  return manifest.recommend;
}

/** One `prepare` job: the CSVs and neighbours into the shared recommendation model; records its figures. */
export const prepareRecommend: Step = {
  name: 'prepare-recommend',
  when: recommends,
  async start({ rebuildId, spec, manifest }) {
    return [
      childJob('prepare', {
        rebuildId,
        transactions: spec.transactions!,
        customers: spec.customers!,
        ...(spec.articles ? { articles: spec.articles } : {}),
        holdoutDays: spec.holdoutDays,
        parts: manifest.counts.neighbourParts,
        lenient: spec.lenient,
        ...(spec.recommend ? { recommend: spec.recommend } : {}),
      }),
    ];
  },
  async finish(ctx) {
    const r = await ctx.result('prepare');
    ctx.manifest.recommend = {
      customers: r.customers,
      holdoutCustomers: r.holdoutCustomers,
      newArticles: r.newArticles,
      newArticlesSoldInHoldout: r.newArticlesSoldInHoldout,
      parts: Math.ceil(r.customers / ctx.spec.customersPerJob),
      skippedRows: r.skippedRows,
      ...(r.submissionMethod ? { submissionMethod: r.submissionMethod } : {}),
      ...(r.recommendOptions ? { options: r.recommendOptions } : {}),
      ...(r.unlistedCustomers !== undefined ? { unlistedCustomers: r.unlistedCustomers } : {}),
    };
  },
};
