import type { RebuildSpec } from '@lookalike/core';
import { childJob } from '../stage-children';
import type { Step } from './step';

/** One `quality` job when the rebuild has `articles.csv`: how well the neighbours agree with its labels. */
export const quality: Step = {
  name: 'quality',
  when: (spec: RebuildSpec) => Boolean(spec.articles),
  async start({ rebuildId, spec, manifest }) {
    return [
      childJob('quality', {
        rebuildId,
        articles: spec.articles!,
        parts: manifest.counts.neighbourParts,
        lenient: spec.lenient,
      }),
    ];
  },
  async finish(ctx) {
    ctx.manifest.quality = (await ctx.result('quality')).report;
  },
};
