import type { Manifest } from '@lookalike/core';
import { recommendationsEvalKey, recommendationsPrefix, OUTPUT_SUFFIX } from '@lookalike/storage';
import { RebuildFailedError } from '../rebuild-failed-error';
import {
  combinePartEvaluations,
  methodFigures,
  writeEvaluation,
  writeSubmission,
} from '../recommend-outputs';
import { childJob } from '../stage-children';
import { recommends } from './prepare-recommend';
import { outputKeys, type Step } from './step';

/** What prepare-recommend recorded; it runs whenever recommend does. */
function prepared(manifest: Manifest): NonNullable<Manifest['recommend']> {
  if (!manifest.recommend)
    throw new RebuildFailedError('recommend stage: prepare-recommend recorded nothing');
  return manifest.recommend;
}

/** One `recommend` job per `customersPerJob` customers not yet done; then submission.csv and evaluation.json. */
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
    const recorded = prepared(manifest);
    const outputs = await outputKeys(
      store,
      recommendationsPrefix(rebuildId),
      OUTPUT_SUFFIX.recommendationsEval,
    );
    if (outputs.size !== recorded.parts) await ctx.failed();
    await writeSubmission(store, rebuildId, recorded.parts);
    const results = await combinePartEvaluations(store, rebuildId, recorded.parts);
    recorded.methods = methodFigures(results);
    await writeEvaluation(store, manifest, results);
  },
};
