import { recommendationsEvalKey, recommendationsPrefix, OUTPUT_SUFFIX } from '@lookalike/storage';
import { childJob } from '../stage-children';
import { prepared, recommends } from './prepare-recommend';
import { outputKeys, type Step } from './step';

/** One `recommend` job per `customersPerJob` customers not yet done (each writes its part and its evaluation). */
export const recommend: Step = {
  name: 'recommend',
  when: recommends,
  async start({ rebuildId, spec, manifest, store }) {
    const { parts, customers } = prepared(manifest);
    const per = spec.customersPerJob;
    const done = await outputKeys(store, recommendationsPrefix(rebuildId), OUTPUT_SUFFIX.recommendationsEval);
    return Array.from({ length: parts }, (_, part) =>
      childJob(
        'recommend',
        { rebuildId, part, start: part * per, end: Math.min(customers, (part + 1) * per) },
        part,
      ),
    ).filter((child) => !done.has(recommendationsEvalKey(rebuildId, child.n!)));
  },
  async finish(ctx) {
    const { manifest, rebuildId, store } = ctx;
    const outputs = await outputKeys(
      store,
      recommendationsPrefix(rebuildId),
      OUTPUT_SUFFIX.recommendationsEval,
    );
    if (outputs.size !== prepared(manifest).parts) await ctx.failed();
  },
};
