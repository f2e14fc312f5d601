import { childJob } from '../stage-children';
import { prepared, recommends } from './prepare-recommend';
import type { Step } from './step';

/**
 * One `evaluate` job: the parts into `submission.csv`, `evaluation.json`, `evaluation.md` and the gallery's customer
 * sample; records the methods.
 */
export const evaluate: Step = {
  name: 'evaluate',
  when: recommends,
  async start({ rebuildId, spec, manifest }) {
    const r = prepared(manifest);
    return [
      childJob('evaluate', {
        rebuildId,
        parts: r.parts,
        customersPerJob: spec.customersPerJob,
        holdoutDays: spec.holdoutDays,
        customers: r.customers,
        holdoutCustomers: r.holdoutCustomers,
        newArticles: r.newArticles,
        newArticlesSoldInHoldout: r.newArticlesSoldInHoldout,
      }),
    ];
  },
  async finish(ctx) {
    prepared(ctx.manifest).methods = (await ctx.result('evaluate')).methods;
  },
};
